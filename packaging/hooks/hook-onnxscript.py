"""PyInstaller hook for onnxscript (the full edition: torch.onnx's exporter loads it).

onnxscript's ``@script`` decorator compiles its ONNX functions (``Rank``, the torch_lib ops)
from their Python source with ``inspect.getsource``; from the bundle's archive alone that fails
with "Decorator script does not work on dynamically compiled function Rank", which made every
ONNX export in the frozen full edition fail and the model fall back to PyTorch. Keeping the
sources beside the archive (``pyz+py``, as the contributed torch hook does for torch) fixes it.
"""

module_collection_mode = "pyz+py"
