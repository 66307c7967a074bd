"""OCR pass throughput on 12-megapixel photos, half of them with text.

Renders ``--photos`` JPEGs of 4032 x 3024 (real photos from scikit-image / scikit-learn and
gradients as backgrounds; text in Debian fonts, Latin and Chinese, 2.5-8% of the photo's
height, slightly turned), then times, per photo:

* the decode: :func:`engine.media.imaging.decode_photo` at the text analysis's size (JPEG
  draft at reduced DCT scale, 2016 x 1512 here), as the background pass hands it the image;
* the OCR pass alone: ``TextReader.read`` (gate at 480 px; detection and recognition around
  what the gate found, at 1280 px scale).

Prints ms per photo without text and with text, photos/s (OCR alone and with the decode),
character error rate on the photos with text, the gate's misses and false alarms; each pass is
repeated ``--repeat`` times (min and median shown). Last line: ``ocr_photos_per_s: X`` (median).

    python bench/ocr_throughput.py [--photos 20] [--repeat 3] [--gate-side 480]

Backgrounds: scikit-image / scikit-learn sample photos when installed, else the demo scenes.
Fonts: Debian's fonts-dejavu-core, fonts-liberation2, fonts-freefont-ttf, fonts-noto-cjk.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "engine")]

from PIL import Image  # noqa: E402
from text_samples import line_cer, render_sample  # noqa: E402

from engine.analyses.text import IMAGE_SHORT_SIDE  # noqa: E402
from engine.media.imaging import decode_photo  # noqa: E402
from engine.models.ocr import TextReader, model_version  # noqa: E402

SIZE = (4032, 3024)


def render(folder: Path, count: int, seed: int) -> list[tuple[Path, tuple[str, ...]]]:
    rng = random.Random(seed)
    out = []
    for index in range(count):
        with_text = index % 2 == 0
        sample = render_sample(rng, SIZE, lines=rng.choice((1, 1, 2)) if with_text else 0,
                               chinese=with_text and rng.random() < 0.3)
        path = folder / f"photo_{index:03d}.jpg"
        sample.image.save(path, "JPEG", quality=90)
        out.append((path, sample.lines))
    return out


def decode(path: Path) -> Image.Image:
    return decode_photo(path, IMAGE_SHORT_SIDE).image


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--photos", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1, help="ONNX Runtime threads (0: all)")
    parser.add_argument("--gate-side", type=int, default=480)
    parser.add_argument("--detect-side", type=int, default=1280)
    parser.add_argument("--no-regions", action="store_true", help="detect on the whole photo")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--verbose", action="store_true", help="print each photo's reading")
    args = parser.parse_args()

    reader = TextReader(gate_side=args.gate_side, detect_side=args.detect_side,
                        threads=args.threads or None, regions=not args.no_regions)
    start = time.perf_counter()
    reader.load()
    print(f"model: {model_version()}; load {time.perf_counter() - start:.2f} s")
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        photos = render(Path(tmp), args.photos, args.seed)
        print(f"rendered {len(photos)} photos of {SIZE[0]}x{SIZE[1]} in "
              f"{time.perf_counter() - start:.1f} s (half with text)")
        decode_ms: list[float] = []
        images = []
        for path, _ in photos:
            start = time.perf_counter()
            images.append(decode(path))
            decode_ms.append((time.perf_counter() - start) * 1000)
        print(f"decoded at {images[0].size[0]}x{images[0].size[1]}")
        rates, with_rates = [], []
        last: list[tuple[float, list[str], int]] = []
        gate_ms: list[float] = []
        for _ in range(args.repeat):
            last = []
            for image in images:
                start = time.perf_counter()
                lines, stats = reader.read_with_stats(image)
                last.append(((time.perf_counter() - start) * 1000, [ln.text for ln in lines],
                             stats.gate_boxes))
                gate_ms.append(stats.gate_ms)
            total = sum(ms for ms, _, _ in last)
            rates.append(len(images) / (total / 1000))
            with_rates.append(len(images) / ((total + sum(decode_ms)) / 1000))
    text_ms = [ms for (ms, _, _), (_, truth) in zip(last, photos, strict=True) if truth]
    plain_ms = [ms for (ms, _, _), (_, truth) in zip(last, photos, strict=True) if not truth]
    cers = [line_cer(truth, read) for (_, read, _), (_, truth) in zip(last, photos, strict=True)
            if truth]
    missed = sum(1 for (_, read, _), (_, t) in zip(last, photos, strict=True) if t and not read)
    alarms = sum(1 for (_, _, g), (_, t) in zip(last, photos, strict=True) if not t and g)

    def summary(values: list[float]) -> str:
        return (f"median {statistics.median(values):.0f}, min {min(values):.0f}, "
                f"max {max(values):.0f}")

    if args.verbose:
        for (ms, read, boxes), (path, truth) in zip(last, photos, strict=True):
            print(f"  {path.name}: {ms:6.0f} ms, gate boxes {boxes}, drawn {list(truth)}, "
                  f"read {read}")
    print(f"decode ms per photo (draft): {summary(decode_ms)}")
    print(f"gate ms per photo (all passes, incl. shrinking to the gate size and blob checks): "
          f"{summary(gate_ms)}")
    print(f"ocr ms per photo without text: {summary(plain_ms)}")
    print(f"ocr ms per photo with text: {summary(text_ms)}")
    print(f"gate false alarms on photos without text: {alarms}/{len(plain_ms)}")
    print(f"photos with text where nothing was read: {missed}/{len(text_ms)}")
    print(f"character error rate (drawn lines, mean): {statistics.mean(cers):.3f}")
    print(f"photos/s with decode: min {min(with_rates):.2f}, median "
          f"{statistics.median(with_rates):.2f}")
    print(f"ocr photos/s over {args.repeat} passes: min {min(rates):.2f}, median "
          f"{statistics.median(rates):.2f}")
    print(f"ocr_photos_per_s: {statistics.median(rates):.2f}")


if __name__ == "__main__":
    main()
