"""``python -m flows run|validate|docs``: see ``flows.cli``."""
import sys

from flows.cli import main

sys.exit(main())
