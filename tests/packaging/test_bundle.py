"""Build the lean edition's PyInstaller bundle and check the frozen programs
(``packaging/check_bundle.py --edition lean``).

Skipped unless ``PHOTOSEARCH_PACKAGE_TEST=1``: building takes 3-5 minutes on a 2-core machine,
more than ``make test`` should cost every engineer on every run. CI runs ``make package-test``
(the same checks) after ``make test``; see packaging/README.md ("CI").
``PHOTOSEARCH_PACKAGE_REUSE=1`` checks an existing ``dist/PhotoSearch`` without rebuilding it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "dist" / "PhotoSearch"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.environ.get("PHOTOSEARCH_PACKAGE_TEST") != "1",
                       reason="builds the bundle (5-7 min): set PHOTOSEARCH_PACKAGE_TEST=1 "
                       "or run make package-test"),
]


def test_bundle_builds_and_its_programs_work() -> None:
    if os.environ.get("PHOTOSEARCH_PACKAGE_REUSE") != "1" or not BUNDLE.is_dir():
        build = subprocess.run(["bash", "packaging/build.sh", "lean"], cwd=ROOT,
                               env={**os.environ, "PY": sys.executable},
                               capture_output=True, text=True, timeout=3600)
        assert build.returncode == 0, build.stdout[-5000:] + build.stderr[-5000:]
    check = subprocess.run([sys.executable, "packaging/check_bundle.py", str(BUNDLE),
                            "--edition", "lean", "--runs", "1"], cwd=ROOT, capture_output=True,
                           text=True, timeout=1800)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "self-test ok: lean edition" in check.stdout and "bundle check ok" in check.stdout
    assert "lean bundle: no torch" in check.stdout
