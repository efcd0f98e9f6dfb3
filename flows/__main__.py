"""``python -m flows run|validate|docs``: see ``flows.cli``.

Once the command is done, the exit handlers run as at any exit (Prefect's, the temporary
server's stop, logging's flush), and the process then ends without the interpreter's
teardown: freeing every module of pandas, Prefect and Great Expectations one by one took
about 1 s of a seeds run.
"""
import atexit
import os
import sys
import threading

from flows.cli import main

code = main()
threading._shutdown()     # type: ignore[attr-defined]  # what a normal exit does first: join the threads
atexit._run_exitfuncs()
sys.stdout.flush()
sys.stderr.flush()
os._exit(code)
