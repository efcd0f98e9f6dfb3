"""Operator errors: each is one ``newsfacts: ...`` line and its own exit code (README, "Exit codes").

The path checks run before Prefect starts and before anything is created, so a wrong
``--input`` or ``--output`` costs no task retries and leaves no empty output folder behind.
"""
from __future__ import annotations

import errno
import math
import os
from collections.abc import Iterator
from contextlib import contextmanager
from enum import IntEnum
from pathlib import Path


class Exit(IntEnum):
    """Exit codes of ``newsfacts run`` and ``validate`` (0: done), as the README lists them."""

    VALIDATION_FAILED = 1
    BAD_ARGUMENT = 2
    INPUT_MISSING = 3
    OUTPUT_NOT_A_FOLDER = 4
    OUTPUT_NOT_WRITABLE = 5
    DISK_FULL = 6
    OUTPUT_IN_USE = 7
    SHRINK_REFUSED = 8
    INPUTS_UNACCOUNTED = 9


class OperatorError(RuntimeError):
    """A run stopped by how it was called or where it writes, not by a bug: one line, no traceback."""

    def __init__(self, exit_code: Exit, message: str):
        super().__init__(exit_code, message)      # both in args: the error survives pickling
        self.exit_code = exit_code

    def __str__(self) -> str:
        return self.args[1]


def positive(name: str, value: float) -> float:
    """``value`` when it is a finite number above 0, else a bad-argument ``OperatorError`` naming ``name``.

    >>> positive("--workers", 2)
    2
    >>> positive("--time-budget", float("nan"))
    Traceback (most recent call last):
    ...
    flows.preflight.OperatorError: --time-budget must be a finite number above 0, not nan
    """
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value <= 0:
        raise OperatorError(Exit.BAD_ARGUMENT, f"{name} must be a finite number above 0, not {value}")
    return value


def check_input(input_dir: str | os.PathLike) -> None:
    if not Path(input_dir).is_dir():
        raise OperatorError(Exit.INPUT_MISSING, f"input folder {input_dir} does not exist or is not a folder")


def check_output(output_dir: str | os.PathLike) -> None:
    """The output folder exists and is writable, or can be created: checked on its nearest existing folder."""
    out = Path(output_dir)
    existing = next(path for path in (out.absolute(), *out.absolute().parents) if path.exists())
    if not existing.is_dir():
        raise OperatorError(Exit.OUTPUT_NOT_A_FOLDER, f"output path {existing} is a file, not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise OperatorError(Exit.OUTPUT_NOT_WRITABLE,
                            f"output folder {existing} is not writable (read-only or no permission)")


@contextmanager
def writing_errors(output_dir: str | os.PathLike) -> Iterator[None]:
    """Turn a full disk or a read-only output met during a run into its operator error."""
    try:
        yield
    except OSError as error:
        meaning = operator_error(error, output_dir)
        if meaning is None:
            raise
        raise meaning from None


DISK_FULL = (errno.ENOSPC, errno.EDQUOT)
NOT_WRITABLE = (errno.EROFS, errno.EACCES, errno.EPERM)


def names_operator_error(text: str) -> bool:
    """True when a log text reports an ``OSError`` that ``operator_error`` maps (by its strerror)."""
    return any(f"[Errno {code}] {os.strerror(code)}" in text for code in DISK_FULL + NOT_WRITABLE)


def operator_error(error: BaseException, output_dir: str | os.PathLike) -> OperatorError | None:
    """The operator error an ``OSError`` met while writing means, if any (disk full, read-only)."""
    if not isinstance(error, OSError):
        return None
    if error.errno in DISK_FULL:
        return OperatorError(Exit.DISK_FULL,
                             f"no space left on the device of {output_dir}; it keeps the previous run's tables")
    if error.errno in NOT_WRITABLE:
        return OperatorError(Exit.OUTPUT_NOT_WRITABLE,
                             f"cannot write in {output_dir}: {error.strerror}; it keeps the previous run's tables")
    return None
