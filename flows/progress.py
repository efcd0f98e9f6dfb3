"""One progress display for a run's long steps (extraction, validation).

On a terminal, a bar drawn on the console of Prefect's log handler, so Prefect's log lines
print above it instead of through it. Elsewhere (a log file, a worker, the Prefect UI), a
log line at each 10 % step: ``extracting: 40% (800/2000 articles)``.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from prefect import get_run_logger
from prefect.logging.handlers import PrefectConsoleHandler
from rich.console import Console
from rich.progress import Progress
from rich.theme import Theme
from rich.themes import DEFAULT

BAR_STYLES = Theme({name: style for name, style in DEFAULT.styles.items() if name.startswith(("bar.", "progress."))})
"""rich's styles of a progress bar: Prefect's console has only its log styles."""

Show = Callable[[int, int], None]
"""``show(done, total)``: how far a step is."""


@contextmanager
def progress(step: str, unit: str) -> Iterator[Show]:
    """A ``show`` for ``step`` (``unit`` names what it counts), as a bar or as log lines."""
    console = terminal_console()
    if console is None:
        yield log_steps(get_run_logger(), step, unit)
        return
    with console.use_theme(BAR_STYLES), Progress(console=console, transient=True) as bar:
        task = bar.add_task(step, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def log_steps(logger: logging.Logger | logging.LoggerAdapter, step: str, unit: str) -> Show:
    """A ``show`` that logs a line each time ``done`` reaches a further tenth of ``total``."""
    logged = 0

    def show(done: int, total: int) -> None:
        nonlocal logged
        tenths = 10 * done // total if total else 10
        if tenths > logged:
            logged = tenths
            logger.info("%s: %d%% (%d/%d %s)", step, 100 * done // total if total else 100, done, total, unit)
    return show


def terminal_console() -> Console | None:
    """The console of Prefect's log handler (on the root logger) when it writes to a terminal, else None."""
    for handler in logging.getLogger().handlers:
        if isinstance(handler, PrefectConsoleHandler) and handler.console.is_terminal:
            return handler.console
    return None
