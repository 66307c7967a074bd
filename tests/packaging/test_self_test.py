"""``python -m app --self-test``: the check a frozen PhotoSearch runs, here from the checkout.

The bundle itself is tested by ``test_bundle.py`` (behind ``PHOTOSEARCH_PACKAGE_TEST=1``).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.gui


@pytest.mark.slow
def test_self_test_passes_unfrozen(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PHOTOSEARCH_HOME",
                                                            "PHOTOSEARCH_MODEL",
                                                            "QT_QPA_PLATFORM")}
    # The demo model's ONNX export (first use on the CPU) goes here, not into the user's cache.
    env.setdefault("PHOTOSEARCH_ONNX_CACHE", str(tmp_path / "onnx"))
    proc = subprocess.run([sys.executable, "-m", "app", "--self-test"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 1, proc.stdout  # one summary line
    assert re.match(
        r"self-test ok: full edition, torch [\d.]+, demo on \S+ "
        r"\((fp32|bf16|fp16|onnx: image \S+, text \S+)\), 24 photos indexed, "
        r"text\+image search ok, video decoders h264\S*, window ok \(zh_CN\), [\d.]+ s "
        r"\(runtime [\d.]+, photos [\d.]+, model [\d.]+, index [\d.]+, search [\d.]+, "
        r"video [\d.]+, window [\d.]+\)$",
        lines[0],
    ), lines[0]


def test_self_test_names_the_failing_step(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from app import self_test

    failing = [sys.executable, "-c", "import sys; print('no disk', file=sys.stderr); sys.exit(3)"]
    monkeypatch.setattr(self_test, "demo_data_command", lambda: failing)
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")  # restored afterwards
    out = io.StringIO()
    assert self_test.run_self_test(out) == 1
    line = out.getvalue().strip()
    assert line.startswith("self-test FAILED at photos: `"), line
    assert "exited with 3: no disk" in line


def test_self_test_finds_the_frozen_command_line(monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    from app import self_test

    suffix = ".exe" if sys.platform == "win32" else ""
    gui = tmp_path / f"PhotoSearch{suffix}"
    gui.write_text("")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(gui))
    with pytest.raises(self_test.SelfTestError, match="photosearch is missing"):
        self_test.demo_data_command()
    cli = tmp_path / f"photosearch-cli{suffix}"
    cli.write_text("")
    assert self_test.demo_data_command() == [str(cli)]
