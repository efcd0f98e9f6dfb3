"""Great Expectations suites for the output tables, and the validation entry point.

``suites`` declares one suite per table (data, no GE import); ``validate`` runs them, writes
``validation.parquet`` and the Data Docs site. Great Expectations is imported only there.
"""
from __future__ import annotations

__all__ = ["ValidationReport", "validate_output"]


def __getattr__(name: str):
    """Lazy re-exports, so ``python -m expectations.validate`` does not import itself twice."""
    if name in __all__:
        from expectations import validate
        return getattr(validate, name)
    raise AttributeError(name)
