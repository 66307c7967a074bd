"""PhotoSearch engine: a headless library that indexes photo folders and searches them by meaning.

Import :mod:`engine.api` for the public facade; everything else is internal.
"""

import os

__version__ = "0.1.0"

# OpenMP threads that spin while waiting for work steal the CPU from everything else on a busy
# machine: with two cores and a little background load, a 40 ms text query took over 500 ms, and
# spinning model threads starve the decode pool during indexing. Passive waiting costs nothing
# measurable on an idle machine. It must be set before torch loads its OpenMP runtime, and torch
# is only imported lazily, inside the engine; a value the user set is kept.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
