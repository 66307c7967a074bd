"""Frozen entry point of the command line: the ``photosearch`` executable of the bundle."""

import multiprocessing

if __name__ == "__main__":
    multiprocessing.freeze_support()  # first: a frozen child process must not run a command

    import sys

    from engine.cli import main

    sys.exit(main(sys.argv[1:]))
