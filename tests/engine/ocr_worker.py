"""Read the text in a rendered photo and say which modules that loaded (run under
lean_python.py by the lean-edition test): ``python lean_python.py ocr_worker``.

Prints one JSON object: the lines read, and whether OpenCV or RapidOCR's Python code were
imported (the lean bundle carries neither).
"""

from __future__ import annotations

import json
import random
import sys

from text_samples import LATIN_FONTS, background, draw_text, jpeg_roundtrip

from engine.models.ocr import TextReader

if __name__ == "__main__":
    rng = random.Random(3)
    photo = draw_text(background(rng, (1600, 1200)), "Platform 9 Exit", LATIN_FONTS[0], 70, rng,
                      angle=2.0, centre=(0.5, 0.4))
    lines = TextReader().read(jpeg_roundtrip(photo, 85))
    loaded = sorted({name.partition(".")[0] for name in sys.modules} & {"cv2", "rapidocr"})
    print(json.dumps({"lines": [line.text for line in lines], "loaded": loaded}))
