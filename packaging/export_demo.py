"""Export the bundled demo model to ONNX for the bundle: ``resources/onnx/`` of both editions.

    .venv/bin/python packaging/export_demo.py [build/onnx]

Runs with the build environment's PyTorch and open_clip (the same export and fidelity check a
user's first start would run, :func:`engine.models.export.export_clip`), into
``<folder>/<slug>``, the name :func:`engine.models.runtime.onnx_folder_for` looks up under the
bundle's ``resources/onnx/``. The lean edition has no torch and cannot export, so it must carry
this; the full edition carries it too, so that its first start and its self-test skip the
export (about 2 minutes on 2 cores). An export that is already current is kept (the demo model's
fingerprint is part of the name: a retrained demo model is exported again).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, nargs="?", default=ROOT / "build" / "onnx")
    args = parser.parse_args(argv)
    folder = args.folder.resolve()
    os.environ["PHOTOSEARCH_ONNX_CACHE"] = str(folder)  # where the export goes
    os.environ["PHOTOSEARCH_RUNTIME"] = "onnx"
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    from engine.models.clip import parse_model_spec
    from engine.models.export import export_folder_for
    from engine.models.runtime import OnnxEncoder

    spec = parse_model_spec("demo")
    target = folder / export_folder_for(spec.model_id, Path()).name
    # Only this model's export: an older fingerprint's folder would be bundled for nothing.
    for stale in folder.glob("*") if folder.is_dir() else ():
        if stale.is_dir() and stale != target:
            import shutil

            shutil.rmtree(stale)
    start = time.perf_counter()
    encoder = OnnxEncoder(spec, "cpu").load()
    if encoder.folder != target:
        print(f"export_demo: the encoder loaded {encoder.folder}, expected {target}",
              file=sys.stderr)
        return 1
    size = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
    print(f"demo model on ONNX: {encoder.description}, {size / 2**20:.1f} MiB in {target} "
          f"({time.perf_counter() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
