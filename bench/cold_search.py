"""Cold text search: a new ``photosearch --model demo search "..."`` process per run.

A library of demo photos (default 1,000) is indexed once; then each run starts a fresh Python
process that opens the library and answers one query, as a CLI user does search after search.
Measured per run: wall time from the parent (interpreter start included) and the child's peak
resident memory (``wait4`` rusage). The ONNX Runtime path (the default on the CPU) and, for
comparison, the PyTorch path (``PHOTOSEARCH_RUNTIME=torch``) run interleaved, median of
``--runs`` (5) each. The ONNX export of the demo model is made before timing (first use).

Usage: python bench/cold_search.py [--photos 1000] [--runs 5] [--work DIR] [--no-torch];
last line: ``cold_search_s: X`` (the ONNX path's median wall time).
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
QUERY = "two red circles on the left on grass"


def cli(home: Path, *args: str, runtime: str | None = None
        ) -> tuple[list[str], dict[str, str]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PHOTOSEARCH_RUNTIME", None)
    if runtime:
        env["PHOTOSEARCH_RUNTIME"] = runtime
    return [sys.executable, "-m", "engine.cli", "--home", str(home), "--model", "demo", *args], env


def prepare(work: Path, photos: int) -> Path:
    """Demo photos written and indexed once (reused with --work)."""
    home = work / "home"
    if (home / "catalog.db").exists():
        return home
    data = work / "data"
    for args in (("demo-data", str(data), "--train", "0", "--val", "0", "--test", str(photos),
                  "--compositional", "0"), ("add", str(data / "test")), ("index",)):
        cmd, env = cli(home, *args)
        subprocess.run(cmd, env=env, check=True, capture_output=True, text=True)
    return home


def cold_run(home: Path, runtime: str | None) -> tuple[float, float]:
    """(wall seconds, peak RSS MB) of one fresh search process."""
    cmd, env = cli(home, "search", QUERY, "-k", "5", runtime=runtime)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode:
        raise SystemExit(f"search failed ({runtime}): {err[-2000:]}")
    rss_kb = usage.ru_maxrss if sys.platform != "darwin" else usage.ru_maxrss / 1024
    return wall, rss_kb / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", type=Path, default=None,
                        help="reuse this folder (photos, library, ONNX export) between runs")
    parser.add_argument("--no-torch", action="store_true", help="skip the PyTorch comparison")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="ps-cold-"))
    os.environ.setdefault("PHOTOSEARCH_ONNX_CACHE", str(work / "onnx-cache"))
    t0 = time.perf_counter()
    home = prepare(work, args.photos)
    cmd, env = cli(home, "search", "warm up")  # first use: exports the demo model to ONNX
    subprocess.run(cmd, env=env, check=True, capture_output=True)
    print(f"library of {args.photos} demo photos ready in {time.perf_counter() - t0:.0f} s; "
          f"cpus: {os.cpu_count()}; load average {os.getloadavg()[0]:.1f}")
    runtimes = ["onnx"] + ([] if args.no_torch else ["torch"])
    results: dict[str, list[tuple[float, float]]] = {r: [] for r in runtimes}
    for _ in range(args.runs):
        for runtime in runtimes:  # interleaved: a noisy machine hits both alike
            results[runtime].append(cold_run(home, None if runtime == "onnx" else runtime))
    for runtime in runtimes:
        walls = [w for w, _ in results[runtime]]
        peaks = [m for _, m in results[runtime]]
        print(f"{runtime:5} cold search: median {statistics.median(walls):.2f} s "
              f"(min {min(walls):.2f}, max {max(walls):.2f}), peak memory median "
              f"{statistics.median(peaks):.0f} MB (max {max(peaks):.0f})")
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    print(f"cold_search_s: {statistics.median(w for w, _ in results['onnx']):.2f}")


if __name__ == "__main__":
    main()
