"""The table-driven case files, ``tests/cases/*.jsonl``: one schema, checked as they load.

Each line is one case, a JSON object with:

- ``why``: what the case shows (its test id, after the family);
- ``provenance``: where it comes from, ``"<kind>: <detail>"`` with kind ``developed-on`` (written
  while building a rule), ``evaluated-on`` (taken from an evaluation, gold or suite) or
  ``bug-caught`` (a failure found in the wild or while writing cases);
- ``family`` (optional): the rule family it belongs to;
- ``xfail`` (optional): why it fails today; the test is a strict xfail, so a fix forces a move;
- ``text``: the input, plus the file's expected output (and optional inputs), named in ``FILES``.

A missing or unknown key, or a value of the wrong type, fails with the file and line number.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

CASES = Path(__file__).parent / "cases"
FILES = {  # file -> (key of the expected output, keys of optional inputs)
    "figures.jsonl": ("expected", ("mentions",)),
    "entities.jsonl": ("mentions", ()),
    "quotes.jsonl": ("quotes", ()),
    "sentences.jsonl": ("sentences", ()),
    "places.jsonl": ("places", ()),
}
REQUIRED = {"why": str, "provenance": str, "text": str}
OPTIONAL = {"family": str, "xfail": str}
PROVENANCE_KINDS = ("developed-on", "evaluated-on", "bug-caught")


class CaseFileError(ValueError):
    """A case line that does not follow the schema."""


def read_cases(path: Path) -> list[dict]:
    """The cases of one file, each checked against the schema."""
    if path.name not in FILES:
        raise CaseFileError(f"{path}: not a known case file (add it to FILES in {Path(__file__).name})")
    expected, inputs = FILES[path.name]
    required = {**REQUIRED, expected: list}
    optional = {**OPTIONAL, **dict.fromkeys(inputs, list)}
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path.name}:{number}"
        try:
            case = json.loads(line)
        except json.JSONDecodeError as error:
            raise CaseFileError(f"{where}: not JSON ({error})") from None
        if not isinstance(case, dict):
            raise CaseFileError(f"{where}: a case is a JSON object")
        if missing := sorted(required.keys() - case.keys()):
            raise CaseFileError(f"{where}: missing {', '.join(missing)}")
        if unknown := sorted(case.keys() - required.keys() - optional.keys()):
            raise CaseFileError(f"{where}: unknown {', '.join(unknown)}")
        for key, value in case.items():
            kind = required.get(key) or optional[key]
            if not isinstance(value, kind) or (kind is str and not value.strip()):
                raise CaseFileError(f"{where}: {key} must be a {'non-empty ' * (kind is str)}{kind.__name__}")
        if case["provenance"].partition(": ")[0] not in PROVENANCE_KINDS or ": " not in case["provenance"]:
            raise CaseFileError(f"{where}: provenance must read '<kind>: <detail>', kind one of {PROVENANCE_KINDS}")
        cases.append(case)
    return cases


def load_cases(name: str) -> list:
    """The cases of ``tests/cases/<name>`` as pytest parameters: id "family: why", known failures
    as strict xfails."""
    return [pytest.param(case, id=f'{case["family"]}: {case["why"]}' if "family" in case else case["why"],
                         marks=[pytest.mark.xfail(strict=True, reason=case["xfail"])] if "xfail" in case else [])
            for case in read_cases(CASES / name)]
