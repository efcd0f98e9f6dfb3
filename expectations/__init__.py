"""Great Expectations suites for the output tables, and the validation entry point.

``suites`` declares one suite per table (data, no GE import); ``validate`` runs them, writes
``validation.parquet`` and the Data Docs site. Great Expectations is imported only there.
"""
from expectations.validate import ValidationReport, validate_output

__all__ = ["ValidationReport", "validate_output"]
