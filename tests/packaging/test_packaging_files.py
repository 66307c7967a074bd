"""Cheap checks of the packaging sources, without building anything."""

from __future__ import annotations

import ast
import configparser
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.module_files import load_module

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"


@pytest.mark.parametrize("entry", ["entry_gui.py", "entry_cli.py"])
def test_entry_scripts_call_freeze_support_first(entry: str) -> None:
    tree = ast.parse((PACKAGING / entry).read_text())
    main_block = next(node for node in tree.body if isinstance(node, ast.If))
    first = main_block.body[0]
    assert isinstance(first, ast.Expr) and isinstance(first.value, ast.Call)
    assert ast.unparse(first.value) == "multiprocessing.freeze_support()"


def test_spec_is_one_folder_without_upx_and_excludes_unused_qt() -> None:
    spec = (PACKAGING / "photosearch.spec").read_text()
    assert "upx=True" not in spec and spec.count("upx=False") == 3  # two EXEs and COLLECT
    assert "COLLECT(" in spec and "exclude_binaries=True" in spec  # one folder, not one file
    for module in ("QtWebEngineCore", "Qt3DCore", "QtQuick", "QtQml", "QtMultimedia"):
        assert f'"{module}"' in spec
    compile(spec, "photosearch.spec", "exec")  # valid Python


def test_bundled_data_exists() -> None:
    spec = importlib.util.find_spec("open_clip")
    assert spec is not None and spec.origin is not None
    package = Path(spec.origin).parent
    assert (package / "bpe_simple_vocab_16e6.txt.gz").is_file()
    assert any((package / "model_configs").glob("*.json"))
    demo = ROOT / "resources" / "models" / "demo-clip"
    assert (demo / "open_clip_config.json").is_file()
    assert any(demo.glob("*.safetensors"))
    for icon in ("photosearch.svg", "photosearch.png", "photosearch.ico", "photosearch.icns"):
        assert (PACKAGING / "icons" / icon).stat().st_size > 0


def test_desktop_entry() -> None:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(PACKAGING / "linux" / "photosearch.desktop")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application" and entry["Name"] == "PhotoSearch"
    assert entry["Exec"].split()[0] == "PhotoSearch"
    assert entry["Icon"] == "photosearch"  # = packaging/icons/photosearch.{svg,png}
    assert entry["Terminal"] == "false"
    assert entry["Categories"].endswith(";") and "Graphics" in entry["Categories"]


def _spec_list(name: str) -> list[str]:
    """A list of strings assigned to ``name`` at the top level of photosearch.spec."""
    tree = ast.parse((PACKAGING / "photosearch.spec").read_text())
    for node in tree.body:
        if (isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
                and node.targets[0].id == name):
            return list(ast.literal_eval(node.value))
    raise AssertionError(f"{name} is not assigned in photosearch.spec")


def test_lean_edition_leaves_out_everything_the_lean_tests_hide() -> None:
    """tests/engine/lean_python.py simulates the lean bundle: what it hides must be what the
    spec leaves out, or the lean tests prove nothing about the bundle."""
    import sys

    sys.path.insert(0, str(ROOT / "tests" / "engine"))
    try:
        from lean_python import LEFT_OUT
    finally:
        sys.path.pop(0)
    excluded = set(_spec_list("LEAN_EXCLUDES"))
    assert excluded >= LEFT_OUT, sorted(LEFT_OUT - excluded)
    assert {"torch", "open_clip", "transformers", "scipy"} <= excluded
    # OCR is PhotoSearch's own pipeline: no OpenCV, no RapidOCR code, only its two models.
    assert {"cv2", "rapidocr"} <= excluded


def test_bundle_carries_the_ocr_models_the_engine_reads() -> None:
    from engine.models import ocr

    assert sorted(_spec_list("OCR_MODELS")) == sorted(
        f"models/{name}" for name in (ocr.DET_MODEL, ocr.REC_MODEL))


def test_build_exports_the_demo_model_before_pyinstaller() -> None:
    build = (PACKAGING / "build.sh").read_text()
    assert build.index("\"$PY\" packaging/export_demo.py") < build.index("-m PyInstaller")
    assert "PHOTOSEARCH_EDITION=$EDITION" in build


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the link is Linux's")
def test_the_app_executable_started_as_photosearch_runs_the_command_line(tmp_path: Path) -> None:
    """On Linux the bundle's photosearch is a link to PhotoSearch (one archive of modules, not
    two); the entry script must run the command line when started by that name."""
    link = tmp_path / "photosearch"
    link.symlink_to(PACKAGING / "entry_gui.py")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run([sys.executable, str(link), "--help"], capture_output=True, text=True,
                          env=env, timeout=120, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.startswith("usage: photosearch")
    spec = (PACKAGING / "photosearch.spec").read_text()
    assert "cli_exe = None if IS_LINUX else EXE(" in spec and "symlink_to(GUI_NAME)" in spec


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the link is Linux's")
def test_the_lean_check_refuses_an_oversized_or_opencv_bundle_and_says_where_the_size_is(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A lean bundle over its ceiling fails at the size check, and with --sizes the failure
    prints the breakdown (CI's log then names what grew); one that carries OpenCV is refused."""
    check_bundle = load_module(PACKAGING / "check_bundle.py")
    bundle = tmp_path / "PhotoSearch"
    libs = bundle / "_internal" / "av.libs"
    libs.mkdir(parents=True)
    (bundle / "PhotoSearch").write_bytes(b"\x7fELF" + bytes(1000))
    (bundle / "photosearch").symlink_to("PhotoSearch")
    (libs / "libxcb-5ddf6756.so.1.1.0").write_bytes(bytes(3_000_000))  # 2 MiB of padding, say

    assert check_bundle.check_lean_contents(bundle, max_mb=5).startswith("lean bundle: no torch")
    assert check_bundle.main([str(bundle), "--edition", "lean", "--sizes", "--max-mb", "2"]) == 1
    out = capsys.readouterr().out
    assert "FAILED at the lean bundle's contents: the lean bundle is 3 MB, more than 2 MB" in out
    assert "by component:" in out and "av.libs" in out and "2.9 MiB" in out

    (bundle / "_internal" / "cv2").mkdir()
    with pytest.raises(check_bundle.CheckFailed, match="carries cv2"):
        check_bundle.check_lean_contents(bundle, max_mb=5)
