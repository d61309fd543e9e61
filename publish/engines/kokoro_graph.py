"""Edits to Kokoro's graph for the copy publish keeps: an output for the frames per phoneme, a
decoder that stops soon after a sentence's last sound, and, on processors that multiply 8-bit
numbers exactly, convolutions that run as matrix products with signed weights.

The edits change what is computed, never how it sounds: the durations output is read off the
graph, the early stop is measured in docs/performance.md, and the matrix products give the very
same integers as the convolutions they replace (tests/test_kokoro.py compares the samples).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from publish.errors import EngineError

# The duration predictor's rounded frames per input token (pads included), before it expands them.
DURATIONS_OUTPUT = "/encoder/Gather_output_0"
# What the decoder reads from the encoder: each tensor's time axis and its values per frame (text
# features one, pitch and energy two).
DECODER_FEATURES = {"/encoder/MatMul_1_output_0": (2, 1), "/encoder/Reshape_output_0": (1, 2),
                    "/encoder/Reshape_1_output_0": (1, 2)}
# The kept copy's decoder stops `keep_frames` after the start of token `last_sound` (inputs).
LAST_SOUND_INPUT, KEEP_FRAMES_INPUT = "last_sound", "keep_frames"
# x86 instructions that multiply unsigned by signed bytes into 32-bit sums without saturating.
# Without them ONNX Runtime's signed-weight kernel adds byte pairs in 16 bits, which can clip.
EXACT_SIGNED_PRODUCTS = ("avx512_vnni", "avx_vnni")
# `PUBLISH_KOKORO_VNNI=0` keeps the convolutions where the processor has the products too, so Kokoro
# runs as on a processor without them (`make test` hears the lessons both ways).
VNNI_SWITCH = "PUBLISH_KOKORO_VNNI"


def exact_signed_products(cpuinfo: Path = Path("/proc/cpuinfo")) -> bool:
    """Whether to use this processor's exact products of unsigned by signed bytes: it has them
    (Linux on x86 tells) and `PUBLISH_KOKORO_VNNI` is not 0."""
    return os.environ.get(VNNI_SWITCH, "").strip() != "0" and processor_has_products(cpuinfo)


@lru_cache(maxsize=2)
def processor_has_products(cpuinfo: Path) -> bool:
    try:
        with cpuinfo.open(encoding="ascii", errors="replace") as lines:  # every core repeats it: the first will do
            flags = next((line.split(":", 1)[1].split() for line in lines if line.startswith("flags")), [])
    except OSError:
        return False
    return any(flag in flags for flag in EXACT_SIGNED_PRODUCTS)


def add_durations_output(model) -> None:
    from onnx import TensorProto, helper

    model.graph.output.append(helper.make_tensor_value_info(DURATIONS_OUTPUT, TensorProto.INT64, ["tokens"]))


def stop_decoder_early(graph) -> None:
    """Let the caller end the decoder's work a few frames after the sentence's last sound.

    The model gives a sentence's closing pause to its last sound, about 30 frames (0.7 s), 15 % of
    what the decoder makes and all of it trimmed from the clip afterwards. The durations still come
    from the whole sentence; only the decoder's inputs are cut (at frame rate, and at twice it for
    pitch and energy)."""
    import numpy as np
    from onnx import TensorProto, helper

    constant = _constants(graph, "publish")

    def integers(value) -> np.ndarray:
        return np.asarray(value, dtype=np.int64)

    def kept(name: str) -> str:
        return f"{name}/publish_kept"

    nodes = [
        helper.make_node("CumSum", [DURATIONS_OUTPUT, constant("axis0", integers(0))], ["publish/ends"]),
        helper.make_node("Sub", [LAST_SOUND_INPUT, constant("one", integers([1]))], ["publish/before"]),
        helper.make_node("Gather", ["publish/ends", "publish/before"], ["publish/start"], axis=0),
        helper.make_node("Add", ["publish/start", KEEP_FRAMES_INPUT], ["publish/wanted"]),
        helper.make_node("ReduceSum", [DURATIONS_OUTPUT], ["publish/total"], keepdims=1),
        helper.make_node("Min", ["publish/wanted", "publish/total"], ["publish/frames"]),
        helper.make_node("Mul", ["publish/frames", constant("two", integers([2]))], ["publish/twice_frames"]),
    ]
    lengths = {1: "publish/frames", 2: "publish/twice_frames"}
    zero = constant("zero", integers([0]))
    for name, (axis, per_frame) in DECODER_FEATURES.items():
        axes = constant(f"axes_of_{name.rsplit('/', 1)[-1]}", integers([axis]))
        nodes.append(helper.make_node("Slice", [name, zero, lengths[per_frame], axes], [kept(name)]))
    for node in graph.node:  # only the decoder reads these (the slices are not in the graph yet)
        node.input[:] = [kept(i) if i in DECODER_FEATURES else i for i in node.input]
    graph.input.extend([helper.make_tensor_value_info(LAST_SOUND_INPUT, TensorProto.INT64, [1]),
                        helper.make_tensor_value_info(KEEP_FRAMES_INPUT, TensorProto.INT64, [1])])
    graph.node.extend(nodes)
    in_order(graph)


def convolutions_as_matrix_products(graph) -> None:
    """Rewrite each 8-bit convolution (stride 1, one group, constant weights) as a matrix product of
    the input, laid out time first, with the weights as signed bytes.

    ONNX Runtime's `ConvInteger` multiplies unsigned bytes by unsigned bytes, with the weights
    repacked on every call; `MatMulInteger` with constant signed weights packs them once and uses
    the processor's byte dot products, which take half the time (69 % of Kokoro's time is these
    convolutions). The weights minus their zero point fit a signed byte in every layer, so the
    integer sums, and every sample after them, are exactly those of the convolution. The input is
    laid out for the product as the convolution itself does it (padding with the input's zero
    point, the taps side by side), in bytes."""
    from onnx import helper

    values = {i.name: i for i in graph.initializer}
    rewritten: list = []
    for node in list(graph.node):
        attributes = {a.name: helper.get_attribute_value(a) for a in node.attribute}
        weights = _signed_weights(node, attributes, values)
        rewritten += [node] if weights is None else _as_matrix_product(node, attributes, weights, graph)
    del graph.node[:]
    graph.node.extend(rewritten)
    used = {name for node in graph.node for name in node.input}
    kept = [i for i in graph.initializer if i.name in used or i.name not in values]  # the unsigned weights go
    del graph.initializer[:]
    graph.initializer.extend(kept)


def _signed_weights(node, attributes: dict, values: dict):
    """The convolution's weights minus their zero point, when it can become a matrix product."""
    from onnx import numpy_helper

    if node.op_type != "ConvInteger" or len(node.input) < 4 or node.input[1] not in values or node.input[3] not in values:
        return None
    if attributes.get("group", 1) != 1 or list(attributes.get("strides", [1])) != [1]:
        return None
    weights = numpy_helper.to_array(values[node.input[1]]).astype("int16")
    signed = weights - numpy_helper.to_array(values[node.input[3]]).astype("int16")
    if signed.ndim != 3 or signed.min() < -128 or signed.max() > 127:
        return None
    return signed


def _as_matrix_product(node, attributes: dict, signed, graph) -> list:
    import numpy as np
    from onnx import helper

    dilation = list(attributes.get("dilations", [1]))[0]
    before, after = list(attributes.get("pads", [0, 0]))
    outputs, inputs, taps = signed.shape
    base = f"{node.name or node.output[0]}/as_product"
    source, zero_point = node.input[0], node.input[2]
    constant = _constants(graph, base)

    # Row `tap * inputs + channel` of the product's weights is the convolution's weight for that
    # channel at that tap: the columns of the laid-out input, below, come in the same order.
    weights = constant("weights", signed.astype(np.int8).transpose(2, 1, 0).reshape(taps * inputs, outputs))
    nodes = [helper.make_node("Transpose", [source], [f"{base}/time_first"], perm=[0, 2, 1])]
    laid_out = f"{base}/time_first"
    if before or after:
        pads = constant("pads", np.array([0, before, 0, 0, after, 0], dtype=np.int64))
        nodes.append(helper.make_node("Pad", [laid_out, pads, zero_point], [f"{base}/padded"]))
        laid_out = f"{base}/padded"
    if taps > 1:  # row t of the columns: the input at t, t + dilation, … (one gather, no copies per tap)
        nodes += [
            helper.make_node("Shape", [laid_out], [f"{base}/shape"], start=1, end=2),
            helper.make_node("Sub", [f"{base}/shape", constant("reach", np.array([dilation * (taps - 1)], dtype=np.int64))],
                             [f"{base}/rows"]),
            helper.make_node("Squeeze", [f"{base}/rows"], [f"{base}/row_count"]),
            helper.make_node("Range", [constant("first", np.int64(0)), f"{base}/row_count", constant("step", np.int64(1))],
                             [f"{base}/row_starts"]),
            helper.make_node("Unsqueeze", [f"{base}/row_starts", constant("column", np.array([1], dtype=np.int64))],
                             [f"{base}/row_starts_column"]),
            helper.make_node("Add", [f"{base}/row_starts_column",
                                     constant("tap_offsets", (np.arange(taps, dtype=np.int64) * dilation)[None, :])],
                             [f"{base}/rows_of_taps"]),
            helper.make_node("Gather", [laid_out, f"{base}/rows_of_taps"], [f"{base}/gathered"], axis=1),
            helper.make_node("Reshape", [f"{base}/gathered", constant("flat", np.array([0, 0, taps * inputs], dtype=np.int64))],
                             [f"{base}/columns"]),
        ]
        laid_out = f"{base}/columns"
    nodes.append(helper.make_node("MatMulInteger", [laid_out, weights, zero_point, constant("weights_zero", np.int8(0))],
                                  [f"{base}/time_first_sums"], name=base))
    nodes.append(helper.make_node("Transpose", [f"{base}/time_first_sums"], [node.output[0]], perm=[0, 2, 1]))
    return nodes


def _constants(graph, prefix: str):
    """A function that adds a constant to the graph, named under `prefix`, and gives its name."""
    import numpy as np
    from onnx import numpy_helper

    def constant(name: str, value) -> str:
        graph.initializer.append(numpy_helper.from_array(np.asarray(value), f"{prefix}/{name}"))
        return f"{prefix}/{name}"

    return constant


def in_order(graph) -> None:
    """Sort the graph's nodes so that each comes after what it reads (ONNX asks it), keeping the
    order they had otherwise."""
    ready = {""} | {i.name for i in graph.initializer} | {i.name for i in graph.input}
    waiting, ordered = list(graph.node), []
    while waiting:
        left = []
        for node in waiting:
            if all(name in ready for name in node.input):
                ordered.append(node)
                ready.update(node.output)
            else:
                left.append(node)
        if len(left) == len(waiting):
            raise EngineError("the Kokoro model's graph has a cycle — reinstall its parts")
        waiting = left
    del graph.node[:]
    graph.node.extend(ordered)
