"""Time from launching the desktop app to its window shown, and to the first search results.

    python bench/gui_startup.py [--runs 3] [--photos 40] [--visible]

Prepares a fresh temporary library through the engine API (the bundled demo model, ~40 demo
photos added and indexed), then launches ``python -m app --home ... --model demo --query ...
--startup-report`` in a subprocess (offscreen unless ``--visible``) and reads the times it prints:
the first paint of the window, and the first results of the query reaching the grid. Times are
from just before the subprocess is started, so they include the Python interpreter's start.
The first run also fills the thumbnail cache; the median over the runs is reported.

Last line: ``window_s: <seconds>`` (median time to the window shown).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.startup_report import parse_startup_report  # noqa: E402  (stdlib only, no Qt)

QUERY = "two red circles on the left on grass"


def prepare_library(root: Path, photos: int) -> Path:
    """A library at ``root/home`` with ``photos`` demo photos indexed by the demo model."""
    from engine.api import Library
    from engine.evaluation.demo_data import DemoSplits, write_demo_dataset

    write_demo_dataset(root / "demo", DemoSplits(train=0, val=0, test=photos, compositional=0))
    library = Library.open(home=root / "home", model="demo")
    try:
        library.add_folder(root / "demo" / "test")
        library.load_model().result(timeout=600)
        report = library.index().result(timeout=600)
        print(f"prepared: {report.embedded} photos indexed in {report.seconds:.1f} s", flush=True)
    finally:
        library.close()
    return root / "home"


def launch_once(home: Path, visible: bool, timeout: float) -> tuple[float, float | None]:
    """Start the app once; return (seconds to window shown, seconds to first results)."""
    env = dict(os.environ)
    if not visible:
        env["QT_QPA_PLATFORM"] = "offscreen"
    env.pop("PHOTOSEARCH_MODEL", None)
    command = [
        sys.executable,
        "-m",
        "app",
        "--home",
        str(home),
        "--model",
        "demo",
        "--query",
        QUERY,
        "--startup-report",
    ]
    started = time.time()
    proc = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    shown, results = parse_startup_report(proc.stdout, started)
    if shown is None:
        raise RuntimeError(
            f"the app did not report its window (rc {proc.returncode}):\n"
            f"{proc.stdout}\n{proc.stderr}"
        )
    return shown, results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--photos", type=int, default=40)
    parser.add_argument("--visible", action="store_true", help="use the real display")
    parser.add_argument("--timeout", type=float, default=300.0)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="photosearch-gui-bench-") as tmp:
        home = prepare_library(Path(tmp), args.photos)
        windows, results = [], []
        for run in range(1, args.runs + 1):
            shown, first = launch_once(home, args.visible, args.timeout)
            windows.append(shown)
            if first is not None:
                results.append(first)
            first_text = f"{first:.2f} s" if first is not None else "none"
            print(f"run {run}: window shown {shown:.2f} s, first results {first_text}", flush=True)
    print(
        f"first_results_s: {statistics.median(results):.2f}" if results else "first_results_s: none"
    )
    print(f"window_s: {statistics.median(windows):.2f}")


if __name__ == "__main__":
    main()
