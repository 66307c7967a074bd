"""bench/scale.py itself, on a small library: it builds, measures and reports every figure.

Times are not asserted (they depend on the machine); what the bench reports must be there and
make sense: recall within [0, 1] and high on this easy size, every filter finding photos, the
library reopened after churn with its vectors current.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_bench(work: Path, photos: int, *extra: str) -> str:
    """bench/scale.py's report on a library of ``photos`` demo photos, checked for every
    figure that does not depend on the index kind."""
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "scale.py"), "--photos", str(photos), "--model",
         "demo", "--queries", "20", "--work", str(work), *extra],
        capture_output=True, text=True, cwd=ROOT, timeout=1200)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = proc.stdout
    lines = out.strip().splitlines()
    assert re.fullmatch(rf"p50_ms_{photos // 1000}k: \d+\.\d", lines[-1])
    for label in ("open:", "resident:", "text query:", "vector search:", "photosearch status:",
                  "Library.folders():", "Library.status():", "churn 10%:"):
        assert any(line.startswith(label) for line in lines), label
    recall = float(re.search(r"vector search: recall@10 ([\d.]+)", out).group(1))
    assert 0.9 <= recall <= 1.0
    filters = re.findall(r"filtered \((\S+)\): p50 [\d.]+ ms, (\d+) hits", out)
    assert {name for name, _ in filters} == {"folder", "year", "camera", "half", "window_0.1pct"}
    assert all(int(hits) > 0 for _, hits in filters)
    churned = re.search(r"then open [\d.]+ s, resident \d+ MB, recall@10 ([\d.]+)", out)
    assert churned and 0.8 <= float(churned.group(1)) <= 1.0
    return out


@pytest.mark.slow
def test_the_scale_bench_at_100k_measures_the_quantized_kind(tmp_path: Path) -> None:
    # the bench's CI version: 100,000 photos reach photo_vectors.QUANTIZED_THRESHOLD, so the
    # library the bench measures (and churns, and reopens) is on the kind of large libraries
    out = run_bench(tmp_path / "work", 100_000)
    kind = re.search(r"\(index sq8 \((\d+) lists trained on ([\d,]+), ef 480, refine 1600, "
                     r"shortlist 50\); other ef: ", out)
    assert kind, out[-2000:]
    assert int(kind.group(1)) >= 256 and int(kind.group(2).replace(",", "")) >= 50_000
    recall = float(re.search(r"vector search: recall@10 ([\d.]+)", out).group(1))
    assert recall >= 0.98  # the goal at 1M is 0.99; 20 queries make this one coarser


@pytest.mark.slow
def test_the_scale_bench_reports_every_figure(tmp_path: Path) -> None:
    out = run_bench(tmp_path / "work", 3000, "--compare")
    assert re.search(r"\(index hnsw \(M=32, ef 256\); other ef: ", out)  # the kind measured
    # --compare: every option's row, the engine's quantized search among them, finds neighbours
    options = re.findall(r"^(\S.*?|  \+ .*?)\s+\d+\s+\d+\s+\S+\s+([\d.]+)\s+[\d.]+$", out,
                         re.MULTILINE)
    names = {name.strip() for name, _ in options}
    assert {"hnswlib M=16", "faiss IVF-PQ2d4fs + rescore 200",
            "+ SQ8 refine (engine) + rescore 50"} <= names, names
    assert all(0.3 <= float(recall) <= 1.0 for _, recall in options), options
    # the library stays where --work put it, reopenable by the engine
    assert (tmp_path / "work" / "library-3000" / "catalog.db").is_file()
    # scale_probe.py measures the status again on the kept library (every part of it)
    probe = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "scale_probe.py"), "--work", str(tmp_path / "work"),
         "--model", "demo", "--probes", "status"],
        capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert probe.returncode == 0, probe.stderr[-3000:]
    lines = probe.stdout.strip().splitlines()
    assert re.fullmatch(r"status_s: \d+\.\d\d", lines[-1])
    assert re.search(r"Library.status\(\), first after the open: [\d.]+ s \(3,000 files, 0 "
                     r"videos\); photosearch status \(new process\): [\d.]+ s", probe.stdout)
    for part in ("counts", "folders", "coverage clip", "coverage video", "coverage video_frames"):
        assert re.search(rf"[:,] {part} [\d.]+ ms", probe.stdout), part
