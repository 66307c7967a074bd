"""Check a built bundle the way a user would run it, and measure it.

    .venv/bin/python packaging/check_bundle.py [dist/PhotoSearch] [--runs 3] [--sizes]

Runs, with the frozen programs only (never this checkout's Python):

1. ``PhotoSearch --self-test`` (torch, the demo model, indexing, text and image search, the
   window, offscreen);
2. ``photosearch --help``;
3. a command-line session: ``demo-data``, ``add``, ``index``, ``search --json`` (the photo whose
   caption was searched must come first) with ``--model demo``;
4. the default model on a computer that cannot download it (``HF_HUB_OFFLINE=1``): the error must
   name the ways forward (``local-dir:`` and ``demo``), and nothing is downloaded;
5. the desktop app's start-up on the library of step 3: ``PhotoSearch --query ...
   --startup-report`` offscreen, ``--runs`` times; prints the time from launch to the window's
   first paint and to the first results in the grid (the first run reads the bundle from disk,
   later ones from the page cache).

``--sizes`` also prints the bundle's size and its biggest parts. Exits non-zero on the first
failed check, with a line that says which. Used by ``make package-test`` and
``tests/packaging/test_bundle.py``.
"""

from __future__ import annotations

import argparse
import json
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

TIMEOUT = 600


class CheckFailed(Exception):
    """A check of the bundle failed."""


def programs(bundle: Path) -> tuple[Path, Path]:
    """The GUI and CLI executables of ``bundle``."""
    suffix = ".exe" if sys.platform == "win32" else ""
    gui = bundle / f"PhotoSearch{suffix}"
    for name in ("photosearch", "photosearch-cli"):
        cli = bundle / f"{name}{suffix}"
        if cli.is_file() and not cli.samefile(gui):
            return gui, cli
    raise CheckFailed(f"no photosearch command line program in {bundle}")


def run(command: list[str], *, env: dict[str, str] | None = None, expect: int = 0,
        timeout: float = TIMEOUT) -> subprocess.CompletedProcess[str]:
    """Run a frozen program; fail unless it exits with ``expect``."""
    full_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})}
    full_env.pop("PHOTOSEARCH_MODEL", None)
    full_env.pop("PHOTOSEARCH_HOME", None)
    proc = subprocess.run(command, capture_output=True, text=True, env=full_env, timeout=timeout,
                          cwd=tempfile.gettempdir())  # not the checkout: nothing to borrow
    if proc.returncode != expect:
        raise CheckFailed(
            f"`{' '.join(command)}` exited with {proc.returncode} (expected {expect})\n"
            f"--- stdout\n{proc.stdout[-3000:]}\n--- stderr\n{proc.stderr[-3000:]}"
        )
    return proc


def check_self_test(gui: Path) -> str:
    start = time.perf_counter()
    proc = run([str(gui), "--self-test"])
    line = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""
    if not line.startswith("self-test ok"):
        raise CheckFailed(f"PhotoSearch --self-test printed {proc.stdout!r}")
    return f"{line}  [process wall {time.perf_counter() - start:.1f} s]"


def check_help(cli: Path) -> str:
    start = time.perf_counter()
    proc = run([str(cli), "--help"])
    if "usage: photosearch" not in proc.stdout or "search" not in proc.stdout:
        raise CheckFailed(f"photosearch --help printed {proc.stdout[:500]!r}")
    return f"photosearch --help ok in {time.perf_counter() - start:.2f} s"


def check_cli_search(cli: Path, work: Path) -> tuple[str, Path, str, Path]:
    """demo-data, add, index, search; returns (summary, home, query, expected photo)."""
    photos, home = work / "photos", work / "home"
    base = [str(cli), "--home", str(home), "--model", "demo"]
    run([*base, "demo-data", str(photos), "--test", "40", "--compositional", "0"])
    dataset = json.loads((photos / "dataset.json").read_text(encoding="utf-8"))
    image = dataset["images"][3]
    expected = photos / image["filepath"] / image["filename"]
    query = image["sentences"][0]["raw"]
    run([*base, "add", str(photos / "test")])
    start = time.perf_counter()
    indexed = run([*base, "index", "--quiet"]).stdout.strip().splitlines()[-1]
    index_s = time.perf_counter() - start
    start = time.perf_counter()
    hits = json.loads(run([*base, "search", query, "-k", "5", "--json"]).stdout)
    search_s = time.perf_counter() - start
    if not hits or Path(hits[0]["path"]).resolve() != expected.resolve():
        raise CheckFailed(f"photosearch search {query!r}: expected {expected.name} first, "
                          f"got {[Path(h['path']).name for h in hits[:3]]}")
    return (f"photosearch CLI: {indexed} (process {index_s:.1f} s); search "
            f"'{query}' -> {expected.name} first (process {search_s:.1f} s)", home, query,
            expected)


def check_offline_default_model(cli: Path, work: Path) -> str:
    home = work / "offline-home"
    proc = run([str(cli), "--home", str(home), "search", "a dog on a beach"],
               env={"HF_HUB_OFFLINE": "1", "HF_HOME": str(work / "hf")}, expect=1)
    lines = [line for line in proc.stderr.splitlines() if line.startswith("photosearch:")]
    message = lines[-1] if lines else proc.stderr.strip()
    for needed in ("local-dir:", "--model demo", "could not be downloaded"):
        if needed not in message:
            raise CheckFailed(f"the offline message lacks {needed!r}: {proc.stderr!r}")
    return f"default model offline: exit 1, {message[:120]}..."


def startup_times(gui: Path, home: Path, query: str, runs: int) -> str:
    """Launch the app ``runs`` times on ``home`` with ``query``; times to window and results."""
    windows, results = [], []
    for _ in range(runs):
        started = time.time()
        proc = run([str(gui), "--home", str(home), "--model", "demo", "--query", query,
                    "--startup-report"])
        shown, first = parse_startup_report(proc.stdout, started)
        if shown is None or first is None:
            raise CheckFailed(f"the app did not report its window and results: {proc.stdout!r}")
        windows.append(shown)
        results.append(first)
    runs_text = ", ".join(f"{w:.2f}/{r:.2f}" for w, r in zip(windows, results, strict=True))
    return (f"frozen app start-up (window / first results, s): runs {runs_text}; median "
            f"window {statistics.median(windows):.2f} s, first results "
            f"{statistics.median(results):.2f} s")


def sizes(bundle: Path, top: int = 25) -> str:
    """The bundle's total size and its biggest files and folders."""

    def tree_size(path: Path) -> int:
        if path.is_symlink():
            return 0
        if path.is_file():
            return path.stat().st_size
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())

    total = tree_size(bundle)
    lines = [f"bundle {bundle}: {total / 2**20:,.0f} MiB"]
    internal = bundle / "_internal"
    parts: list[tuple[int, str]] = []
    for child in internal.iterdir() if internal.is_dir() else bundle.iterdir():
        parts.append((tree_size(child), child.name))
        if child.is_dir() and child.name in ("nvidia", "torch", "PySide6"):
            parts.extend((tree_size(c), f"{child.name}/{c.name}") for c in child.iterdir())
    for size, name in sorted(parts, reverse=True)[:top]:
        lines.append(f"  {size / 2**20:9,.1f} MiB  {name}")
    files = sorted(((p.stat().st_size, p) for p in bundle.rglob("*")
                    if p.is_file() and not p.is_symlink()), reverse=True)[:15]
    lines.append("  biggest files:")
    lines += [f"  {s / 2**20:9,.1f} MiB  {p.relative_to(bundle)}" for s, p in files]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path, nargs="?", default=ROOT / "dist" / "PhotoSearch")
    parser.add_argument("--runs", type=int, default=3, help="start-up runs (0: skip)")
    parser.add_argument("--sizes", action="store_true", help="print the size breakdown")
    args = parser.parse_args(argv)
    bundle = args.bundle.resolve()
    step = "finding the programs"
    try:
        gui, cli = programs(bundle)
        with tempfile.TemporaryDirectory(prefix="photosearch-bundle-check-") as tmp:
            work = Path(tmp)
            step = "PhotoSearch --self-test"
            print(check_self_test(gui), flush=True)
            step = "photosearch --help"
            print(check_help(cli), flush=True)
            step = "a command-line search"
            summary, home, query, _ = check_cli_search(cli, work)
            print(summary, flush=True)
            step = "the default model offline"
            print(check_offline_default_model(cli, work), flush=True)
            if args.runs:
                step = "start-up times"
                print(startup_times(gui, home, query, args.runs), flush=True)
        if args.sizes:
            print(sizes(bundle), flush=True)
    except (CheckFailed, subprocess.TimeoutExpired, OSError) as exc:
        print(f"bundle check FAILED at {step}: {exc}", flush=True)
        return 1
    print("bundle check ok", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
