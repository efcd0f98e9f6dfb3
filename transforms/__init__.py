"""Rule-based, pure text transforms: text in, typed records out (no I/O, no Prefect)."""
