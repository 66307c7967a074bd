"""Throughput of the faces pass on 12-megapixel photos, some with real faces, beside the
meaning pass's rate on the same photos.

Photos: 4000x3000 JPEGs tiled from real photos that packages ship (the rocket, coffee, the
cat), half of them with one to three real faces (Grace Hopper, Eileen Collins) pasted at
130-400 px wide.

(1) the whole library: ``Library.index`` with a random-weight ViT-B-32 (the default model's
    architecture; compute does not depend on the weights), timing the meaning pass and the
    faces pass separately (the faces pass: decoding at 2250 px short side, detection, landmarks,
    descriptors, storing and grouping; its model load of ~1 s is included);
(2) the face reader alone on decoded images, repeated: photos/s and ms per described face.

Last line: ``faces_photos_per_s: X`` (the faces pass of (1)).

Usage: python bench/faces_throughput.py [--photos 12] [--repeats 2]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests" / "engine"))

import engine  # noqa: E402,F401,I001  (first, as in the CLI and app: it sets up the thread runtime)
from bench_support import random_weight_model  # noqa: E402
from real_faces import backdrop, eileen, grace  # noqa: E402

from engine.models.faces import FaceReader  # noqa: E402


def make_photos(count: int) -> tuple[list[Image.Image], int]:
    """``count`` 12 MP photos; every other one holds faces. Returns them and the face count."""
    faces = [grace().crop((40, 20, 500, 520)), eileen().crop((110, 10, 330, 250))]
    face_px = [186, 90]  # face width inside each crop at scale 1
    base = backdrop(4000, 3000)
    photos, placed = [], 0
    for i in range(count):
        photo = base.transpose(Image.Transpose.FLIP_LEFT_RIGHT) if i % 4 == 1 else base.copy()
        if i % 2 == 0:
            for k in range(1 + i % 3):
                crop = faces[k % 2]
                target = (130, 220, 400)[k]  # face width in pixels
                scale = target / face_px[k % 2]
                tile = crop.resize((round(crop.width * scale), round(crop.height * scale)))
                photo.paste(tile, (300 + k * 1200 + 37 * i, 500 + (i % 3) * 300))
                placed += 1
        # Every photo distinct: the library analyses identical content once.
        photo.paste((20 * i % 256, 90, 160), (0, 0, 16, 16))
        photos.append(photo)
    return photos, placed


def run(reader: FaceReader, photos: list[Image.Image]) -> tuple[float, int, int, float]:
    """Seconds for the pass, faces found, faces described, seconds spent describing faces."""
    spent = [0.0]
    describe = reader._describe

    def timed(*args, **kwargs):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        try:
            return describe(*args, **kwargs)
        finally:
            if args[3]:  # only faces that get a descriptor
                spent[0] += time.perf_counter() - start

    reader._describe = timed  # type: ignore[method-assign]
    start = time.perf_counter()
    found = described = 0
    for photo in photos:
        faces = reader.faces(photo)
        found += len(faces)
        described += sum(f.descriptor is not None for f in faces)
    reader._describe = describe  # type: ignore[method-assign]
    return time.perf_counter() - start, found, described, spent[0]


def library_passes(photos: list[Image.Image], work: Path) -> tuple[float, float, int]:
    """(meaning photos/s, faces photos/s, faces found) of ``Library.index`` over JPEGs."""
    from engine.api import Library

    folder = work / "photos"
    folder.mkdir()
    for i, photo in enumerate(photos):
        photo.save(folder / f"IMG_{i:04d}.jpg", quality=90)
    model = random_weight_model(work / "vit-b-32-random")
    with Library.open(work / "home", model=f"local-dir:{model}") as lib:
        lib.add_folder(folder)
        lib.load_model().result()  # model loading is not indexing throughput
        report = lib.index().result()
        (faces,) = [a for a in report.analyses if a.name == "faces"]
        assert faces.error is None, faces.error
        found = lib.catalog._query("SELECT COUNT(*) FROM faces")[0][0]
    return report.scanned / report.seconds, faces.done / faces.seconds, int(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=12)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()

    photos, placed = make_photos(args.photos)
    print(f"{len(photos)} photos of 4000x3000, {placed} real faces placed in half of them")
    with tempfile.TemporaryDirectory(prefix="ps-faces-bench-") as work:
        meaning_rate, faces_rate, found = library_passes(photos, Path(work))
    print(f"(1) library: meaning pass {meaning_rate:.2f} photos/s (random-weight ViT-B-32); "
          f"faces pass {faces_rate:.2f} photos/s, {found} faces stored")
    reader = FaceReader()
    reader.load()
    times, per_face = [], []
    for _ in range(args.repeats):
        seconds, found, described, describing = run(reader, photos)
        times.append(seconds)
        per_face.append(describing / max(described, 1) * 1000)
    print(f"(2) reader alone (decoded 12 MP images): found {found} faces ({described} "
          f"described); {len(photos) / statistics.median(times):.2f} photos/s median; "
          f"{statistics.median(per_face):.0f} ms per described face median "
          f"(crop, landmarks, descriptor)")
    print(f"faces_photos_per_s: {faces_rate:.2f}")


if __name__ == "__main__":
    main()
