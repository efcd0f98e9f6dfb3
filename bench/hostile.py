"""Hostile inputs: what a scheduled pipeline meets in its input folder.

``PATHOLOGICAL`` texts try to make the rules run away (their extraction time is measured
per MB by ``make torture``); ``BAD_FILES`` are files that must end in ``rejects``.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

PATHOLOGICAL: dict[str, Callable[[], str]] = {
    "digits-and-commas-1mb": lambda: ("1," * 500_000)[:1_000_000],
    "line-500k-no-punctuation": lambda: ("word " * 100_000)[:500_000],
    "quote-marks-100k": lambda: '"“”‘’' * 20_000,
    "capitalised-words": lambda: "President Of The United Nations Security Council " * 10_000,
    "number-words": lambda: "one hundred and twenty thousand million " * 12_000,
    "control-and-zero-width": lambda: ("Kenya\u200b sent\u200d 1,000\u0007 officers\u200e to\ufeff Haiti.\u0001 "
                                       * 8_000),
    "right-to-left": lambda: "قالت الأمم المتحدة إن 580,000 شخص نزحوا. אלף שוטרים הגיעו להאיטי. " * 6_000,
    "repeated-abbreviations": lambda: "U.S. U.N. Dr. Mr. No. 5 Gen. " * 20_000,
    "one-sentence-of-figures": lambda: "1,000 officers deployed, the UN said, and 5,000 displaced, " * 8_000,
    "terminal-punctuation-runs": lambda: "Haiti" + "." * 200_000 + " Then" + "!?" * 100_000 + " Next"
                                         + "…" * 100_000 + " End" + ".”" * 50_000,
    "zero-and-negative-counts": lambda: ("Officials reported zero deaths. Temperatures fell to minus 10 and 200 "
                                         "people fled; -5 people, −1,000 points, 1.000 people, 1 000 000 people. "
                                         ) * 2_000,
    "digits-beyond-a-float": lambda: ("Some " + "9" * 400 + " people and $" + "9" * 305 + " billion. ") * 1_000,
    "other-line-breaks": lambda: "One para.\rTwo para.\u2028Three.\u2029Four.\x85Five.\r\n" * 5_000,
}

BAD_FILES: dict[str, tuple[bytes, str]] = {
    "empty.txt": (b"", "empty"),
    "image.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary"),
    "undecodable.txt": (b"Kenya sent officers" + b" \x81\x8d\x8f\x90\x9d " * 20, "undecodable"),
    "whitespace-only.txt": (b" \n\t\n  \n", "empty"),
    "nul-after-8kb.txt": (b"Kenya sent officers. " * 500 + b"\x00 more", "binary"),
}
# Files that must be articles, however odd their bytes.
ODD_ARTICLES: dict[str, bytes] = {
    "utf-16.txt": "Kenya’s police reached Haïti.\r\n".encode("utf-16"),
    "utf-8-one-bad-byte.txt": "Le Président ".encode() + b"\x96" + " est arrivé à Port-au-Prince.".encode(),
}
NON_UTF8_NAME = b"non-utf8-\xe9.txt"   # stored escaped: matched by the part before the odd byte
NESTING_DEPTH = 1_000


def write_hostile(folder: Path, large_bytes: int, outside: Path) -> dict[str, str | None]:
    """Write every hostile file into ``folder``; returns file -> expected reject reason (None: an article).

    ``large_bytes`` is the --max-bytes the run will use: one file is made just larger;
    ``outside`` is a folder outside the input folder, for a link that leads out of it.
    """
    folder.mkdir(parents=True, exist_ok=True)
    expected: dict[str, str | None] = {}
    for name, make in PATHOLOGICAL.items():
        (folder / f"{name}.txt").write_text(make(), encoding="utf-8")
        expected[f"{name}.txt"] = None
    for name, (data, reason) in BAD_FILES.items():
        (folder / name).write_bytes(data)
        expected[name] = reason
    (folder / "too-large.txt").write_bytes(b"Haiti. " * (large_bytes // 7 + 1))
    expected["too-large.txt"] = "too_large"
    (folder / "windows-1252.txt").write_bytes("Le “café” coûte 5 € à Port-au-Prince.".encode("cp1252"))
    expected["windows-1252.txt"] = None
    for name, data in ODD_ARTICLES.items():
        (folder / name).write_bytes(data)
        expected[name] = None
    with open(os.path.join(os.fsencode(folder), NON_UTF8_NAME), "wb") as odd_name:
        odd_name.write(b"Kenya sent 1,000 officers to Haiti.")
    expected[NON_UTF8_NAME.split(b"\xe9")[0].decode() + "*"] = None
    deep = folder
    for _ in range(NESTING_DEPTH):       # one level at a time: mkdir(parents=True) recurses per level
        deep = deep / "d"
        deep.mkdir()
    (deep / "deep.txt").write_text("Haiti received 400 more officers from Kenya.", encoding="utf-8")
    expected["/".join(["d"] * NESTING_DEPTH + ["deep.txt"])] = None
    secret = outside / "outside-secret.txt"
    secret.write_text("not to be read", encoding="utf-8")
    (folder / "link-outside.txt").symlink_to(secret)
    expected["link-outside.txt"] = "outside_input"
    return expected


def remove_nesting(folder: Path) -> None:
    """Remove the deep folders ``write_hostile`` made, one level at a time (``shutil.rmtree``
    recurses per level and stops at Python's recursion limit)."""
    deepest = folder.joinpath(*["d"] * NESTING_DEPTH)
    (deepest / "deep.txt").unlink(missing_ok=True)
    for level in [deepest, *deepest.parents][:NESTING_DEPTH]:
        level.rmdir()


def torture_problems(out: Path, clean: Path, expected: dict[str, str | None], good: list[str]) -> list[str]:
    """What is wrong with a run over good and hostile files (empty list: nothing).

    Every hostile file is an article or rejected for the expected reason (a name ending in
    ``*`` stands for the one file whose name starts so), and the good articles' rows equal
    those of a run over the good articles alone.
    """
    from flows.storage import read_published

    problems = []
    articles = set(read_published(out, "articles").to_pandas()["source_file"])
    rejects = read_published(out, "rejects").to_pandas().astype({"reason": str}).set_index("source_file")["reason"]
    for name, reason in expected.items():
        if name.endswith("*"):
            name = next((found for found in sorted(articles) + list(rejects.index)
                         if found.startswith(name[:-1])), name)
        got = "article" if name in articles else rejects.get(name, "missing")
        if got != (reason or "article"):
            problems.append(f"{name}: expected {reason or 'article'}, got {got}")
    for table in ("sentences", "figures", "mentions", "quotes"):
        columns = ["source_file", "start_char", "end_char", "text"]
        mixed = read_published(out, table, columns).to_pandas()
        alone = read_published(clean, table, columns).to_pandas()
        mixed = mixed[mixed["source_file"].isin(good)].sort_values(columns[:3]).reset_index(drop=True)
        if not mixed.equals(alone.sort_values(columns[:3]).reset_index(drop=True)):
            problems.append(f"{table}: the good articles' rows differ from a clean run")
    return problems
