# Names vulture (tests/test_types.py) cannot see used: each is read by name, by a template, a
# library or a protocol, never by a call it can follow. Keep it short: dead code is deleted.
# ruff: noqa

# Read by the Jinja templates (publish/outputs/templates/): settings, model fields and properties.
description, owner_name, owner_email, explicit  # SiteConfig: the index and the feed
activity, stage  # guide model: a day's entry, a pathway's step
decorative, anchor  # Figure.decorative, Section.anchor and OverlayPart.anchor
begin  # OverlaySentence.begin: the EPUB's SMIL clip times
href  # Download.href: the page's download links
acquisitions  # opds.Book.acquisitions: the catalog's links to each guide's files
space, dash, comma, quotes, brackets, colon  # typography.Marks: the punctuation between a guide's words

# Set for a library to read.
intra_op_num_threads, inter_op_num_threads, log_severity_level, enable_mem_pattern  # onnxruntime.SessionOptions
graph_optimization_level, optimized_model_filepath  # onnxruntime.SessionOptions: the kept optimized graph
compress_type  # zipfile.ZipInfo: the EPUB's stored mimetype entry
layout_features, name_IDs, notdef_outline, hinting  # fontTools.subset.Options: the book's faces

# Called by the standard library's HTTP server.
log_message, daemon_threads

# Part of an lru_cache key: a changed image gets a new entry (publish.outputs.images._size).
bytes_digest

# Marks words for the gettext catalogs that are shown from elsewhere (publish.outputs.i18n).
ELSEWHERE, ELSEWHERE_TOO
