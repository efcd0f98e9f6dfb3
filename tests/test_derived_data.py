"""Derived data files equal what their scripts regenerate from installed packages.

A failure means a source package (its version is in the header) or an input data file changed:
run the header's "Regenerate:" command, review the diff and commit it.
"""
import doctest

import pytest

from scripts import derived_file, subdivisions
from scripts.derived_file import DATA_DIR


def _header(name: str) -> list[str]:
    lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
    return [line[2:] for line in lines if line.startswith("# ")]


def test_subdivisions_regenerate_from_pycountry():
    assert subdivisions.derive() == (DATA_DIR / "subdivisions.tsv").read_text(encoding="utf-8")


def test_subdivisions_header_names_its_licence_command_and_reader():
    header = _header("subdivisions.tsv")
    assert "LGPL-2.1" in next(line for line in header if line.startswith("Source: "))
    assert "Regenerate: .venv/bin/python -m scripts.subdivisions" in header
    assert "Read by: transforms/gazetteer.py, transforms/places.py" in header


def test_a_name_that_is_a_common_word_or_generic_is_left_out():
    kept = {name for name, _, _ in subdivisions.subdivisions(frozenset({"abruzzo"}))}
    assert "Abruzzo" not in kept and "Eastern Cape" not in kept and "Punjab" in kept


@pytest.mark.parametrize("module", [derived_file, subdivisions])
def test_doctests(module):
    assert doctest.testmod(module).failed == 0
