"""The case files follow one schema: every file is declared, a broken line names its file and line."""
import json
import re

import pytest
from case_files import CASES, FILES, CaseFileError, read_cases

GOOD = {"why": "a case", "provenance": "developed-on: written for the test", "text": "Hi.", "sentences": ["Hi."]}


def write(folder, *cases):
    path = folder / "sentences.jsonl"
    path.write_text("\n".join(json.dumps(c) for c in cases) + "\n", encoding="utf-8")
    return path


def test_every_case_file_is_declared_and_valid():
    assert sorted(p.name for p in CASES.glob("*.jsonl")) == sorted(FILES)
    assert {name: len(read_cases(CASES / name)) for name in FILES} == {
        "figures.jsonl": 249, "entities.jsonl": 171, "quotes.jsonl": 77, "sentences.jsonl": 20,
        "places.jsonl": 11}


def test_a_good_file_loads_with_optional_keys(tmp_path):
    case = {**GOOD, "family": "stops", "xfail": "not yet"}
    assert read_cases(write(tmp_path, GOOD, case)) == [GOOD, case]


@pytest.mark.parametrize("change, message", [
    ({"provenance": None}, "sentences.jsonl:2: missing provenance"),
    ({"expected": []}, "sentences.jsonl:2: unknown expected"),
    ({"mentions": []}, "sentences.jsonl:2: unknown mentions"),
    ({"xfail": True}, "sentences.jsonl:2: xfail must be a non-empty str"),
    ({"sentences": "Hi."}, "sentences.jsonl:2: sentences must be a list"),
    ({"provenance": "found somewhere"}, "sentences.jsonl:2: provenance must read '<kind>: <detail>'"),
])
def test_a_broken_line_names_its_file_and_line(tmp_path, change, message):
    broken = {k: v for k, v in {**GOOD, **change}.items() if v is not None}
    with pytest.raises(CaseFileError, match=re.escape(message)):
        read_cases(write(tmp_path, GOOD, broken))


def test_an_undeclared_file_is_refused(tmp_path):
    (tmp_path / "dates.jsonl").write_text(json.dumps(GOOD) + "\n", encoding="utf-8")
    with pytest.raises(CaseFileError, match="not a known case file"):
        read_cases(tmp_path / "dates.jsonl")
