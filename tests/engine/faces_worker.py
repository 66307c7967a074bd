"""Index a library with the faces analysis slowed down (run as a process that the kill -9 test
ends mid-pass): ``python faces_worker.py HOME``. ``FACES_DELAY_S`` adds a sleep per photo."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from engine.analyses.faces import FacesAnalysis
from engine.api import Library

DELAY_S = float(os.environ.get("FACES_DELAY_S", "0"))

if __name__ == "__main__":
    compute = FacesAnalysis.compute

    def slow(self: FacesAnalysis, prepared: Sequence[Any]) -> list[Any]:
        time.sleep(DELAY_S * len(prepared))
        return compute(self, prepared)

    FacesAnalysis.compute = slow  # type: ignore[method-assign]
    with Library.open(Path(sys.argv[1]), model="demo", device="cpu") as lib:
        report = lib.index().result()
        print(f"done {sum(a.done for a in report.analyses if a.name == 'faces')}", flush=True)
