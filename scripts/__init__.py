"""Scripts that regenerate the derived data files under ``transforms/data/`` from installed packages."""
