"""Run a module as the lean edition would: PyTorch and everything that needs it cannot be found.

    python tests/engine/lean_python.py engine.cli --home H --model demo search "..."
    python tests/engine/lean_python.py app --self-test

A meta path finder answers every import of :data:`LEFT_OUT` with ModuleNotFoundError and
``importlib.util.find_spec`` with None, exactly what the lean bundle (packaging/photosearch.spec,
``LEAN_EXCLUDES``) does, so the code paths the lean edition takes are tested from a checkout
whose environment has torch installed. The frozen bundle itself is checked by
packaging/check_bundle.py.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import runpy
import sys
from collections.abc import Sequence
from types import ModuleType

# packaging/photosearch.spec's LEAN_EXCLUDES that hold torch code or need it, and OpenCV (the
# OCR pipeline is PhotoSearch's own; rapidocr's package, which imports cv2, is left out of the
# bundle too, but its model files are found through find_spec here, so it stays findable).
LEFT_OUT = frozenset({"torch", "torchvision", "torchaudio", "open_clip", "open_clip_train",
                      "transformers", "timm", "triton", "scipy", "sklearn", "skimage",
                      "onnx", "onnxscript", "onnx_ir", "pillow_heif", "cv2"})


def _left_out(name: str) -> bool:
    return name.partition(".")[0] in LEFT_OUT


class _LeftOut(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname: str, path: Sequence[str] | None = None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        if _left_out(fullname):
            raise ModuleNotFoundError(f"No module named {fullname!r} (lean edition)",
                                      name=fullname)
        return None


_find_spec = importlib.util.find_spec


def _lean_find_spec(name: str, package: str | None = None) -> importlib.machinery.ModuleSpec | None:
    return None if _left_out(name) else _find_spec(name, package)


def main() -> None:
    sys.meta_path.insert(0, _LeftOut())
    importlib.util.find_spec = _lean_find_spec
    module = sys.argv[1]
    sys.argv = [module, *sys.argv[2:]]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
