"""PyInstaller hook for torchvision (replaces the contributed one, which looks for ``_C``).

torchvision >= 0.29 loads its C++ operators from ``_C_stable.so`` with ``torch.ops.load_library``
(found by file name next to ``torchvision/__init__.py``), which no import statement reveals. The
contributed hook names the old ``torchvision._C`` module instead, so frozen programs ran without
the operators (``torchvision.ops.nms`` and friends). ``image_stable`` (torchvision.io's JPEG/PNG
decoders, which need nvJPEG) stays out: PhotoSearch decodes with Pillow.
"""

from pathlib import Path

from PyInstaller.utils.hooks import get_package_paths

_, _package = get_package_paths("torchvision")
binaries = [(str(path), "torchvision") for path in Path(_package).glob("_C*.so")]
binaries += [(str(path), "torchvision") for path in Path(_package).glob("_C*.pyd")]
module_collection_mode = "pyz+py"
