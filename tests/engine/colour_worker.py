"""Index a library with the average-colour analysis installed (run as a process that the
kill -9 test ends mid-way): ``python colour_worker.py HOME``."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import colour_analysis  # noqa: E402

from engine.analyses import registry  # noqa: E402
from engine.api import Library  # noqa: E402

if __name__ == "__main__":
    registry.registered()  # the built-ins, then without faces (as tests/conftest.py does)
    registry.unregister("faces")
    colour_analysis.install()
    with Library.open(Path(sys.argv[1]), model="demo", device="cpu") as lib:
        report = lib.index().result()
        print(f"done {sum(a.done for a in report.analyses if a.name == 'colour')}",
              flush=True)
