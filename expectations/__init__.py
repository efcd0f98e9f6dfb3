"""Great Expectations suites for the output tables, and the validation entry point.

``suites`` declares one suite per table (data, no GE import); ``validate`` runs them and
builds the Data Docs site. Great Expectations is imported only there.
"""
