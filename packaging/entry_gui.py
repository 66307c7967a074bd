"""Frozen entry point of the desktop app: the ``PhotoSearch`` executable of the bundle."""

import multiprocessing

if __name__ == "__main__":
    multiprocessing.freeze_support()  # first: a frozen child process must not start the app

    import sys

    from app.main import main

    sys.exit(main(sys.argv[1:]))
