"""Finding installed packages without importing them."""

from __future__ import annotations

from importlib.metadata import version

import pytest

from publish.places import package_version


@pytest.mark.parametrize("distribution", ["hibari-tts", "piper-tts", "gTTS", "onnxruntime", "Babel", "unicode_rbnf"])
def test_a_version_is_read_from_the_dist_info_as_importlib_metadata_reads_it(distribution):
    assert package_version(distribution) == version(distribution)


def test_a_distribution_that_is_not_installed_is_an_error_as_with_importlib_metadata():
    from importlib.metadata import PackageNotFoundError

    with pytest.raises(PackageNotFoundError):
        package_version("no-such-distribution-here")
