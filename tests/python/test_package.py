"""The arscore package itself: importable, versioned from CMake, typed."""

import os
import pathlib
import re

import pytest

import arscore


def test_version_is_the_cmake_project_version():
    assert re.fullmatch(r"\d+\.\d+\.\d+", arscore.__version__)
    expected = os.environ.get("ARSCORE_EXPECTED_VERSION")
    if expected is None:
        pytest.skip("run through ctest to compare with the CMake project version")
    assert arscore.__version__ == expected


def test_package_ships_stubs_and_py_typed_marker():
    package = pathlib.Path(arscore.__file__).parent
    assert (package / "py.typed").is_file()
    assert (package / "__init__.pyi").is_file()


def test_extension_is_private_and_reexported():
    assert arscore.__version__ == arscore._arscore.__version__
    assert arscore.Error is arscore._arscore.Error


def test_error_is_a_value_error():
    assert issubclass(arscore.Error, ValueError)
