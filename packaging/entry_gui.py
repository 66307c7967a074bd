"""Frozen entry point of the desktop app: the ``PhotoSearch`` executable of the bundle.

On Linux the bundle's ``photosearch`` is a symbolic link to this executable (one copy of the
archive of Python modules, not two: packaging/photosearch.spec), so the name it was started by
decides: ``photosearch`` runs the command line, exactly as packaging/entry_cli.py does.
"""

import multiprocessing

CLI_NAME = "photosearch"

if __name__ == "__main__":
    multiprocessing.freeze_support()  # first: a frozen child process must not start the app

    import os
    import sys

    if sys.platform.startswith("linux") and os.path.basename(sys.argv[0]) == CLI_NAME:
        from engine.cli import main as cli_main

        sys.exit(cli_main(sys.argv[1:]))

    from app.main import main

    sys.exit(main(sys.argv[1:]))
