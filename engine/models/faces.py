"""Face detection, 5-point landmarks and 128-d face descriptors, on the CPU, with dlib.

The models and what each one is:

- Detector: dlib's built-in HOG + linear SVM frontal face detector (``get_frontal_face_detector``),
  compiled into the dlib library (Boost Software Licence). No file needed.
- Landmarks: ``shape_predictor_5_face_landmarks.dat`` (9.2 MB): eye corners and the bottom of
  the nose, trained by Davis King on his own 5-point dataset, released into the public domain.
- Descriptor: ``dlib_face_recognition_resnet_model_v1.dat`` (22.5 MB): a 29-layer ResNet that
  maps an aligned 150x150 face chip to a 128-d vector; faces of one person lie within ~0.6
  (Euclidean) of each other by construction of its training loss. Public domain (CC0).

The two ``.dat`` files come from the ``face_recognition_models`` package (CC0). We read them by
path: importing that package needs ``pkg_resources``, which new setuptools no longer has.
dlib's 68-point landmark model (same package) is trained on iBUG 300-W, whose terms exclude
commercial use: it is never loaded here. The MMOD CNN detector (same package, public domain) is
better on turned heads but takes seconds per photo on the CPU, so it is not used by default.

Detection runs on a copy of the photo reduced to ``detect_long_side`` pixels; boxes are scaled
back to the photo's own pixels, and landmarks and descriptors are computed on a crop of the
full-resolution photo so small faces keep their detail.
"""

from __future__ import annotations

import importlib.util
import logging
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from engine.errors import ModelUnavailableError
from engine.i18n import _

log = logging.getLogger(__name__)

LANDMARKS_FILE = "shape_predictor_5_face_landmarks.dat"
DESCRIPTOR_FILE = "dlib_face_recognition_resnet_model_v1.dat"
MODEL_ID = "dlib-hog+sp5+resnet-v1"
DESCRIPTOR_SIZE = 128

# Measured on real faces (see FINDINGS.md): real faces of 40 px or more scored >= 0.65 with the HOG
# detector (upsampled once); false faces on the same photos scored up to 0.42.
DEFAULT_MIN_SCORE = 0.5
# Detection runs on the photo reduced to this long side, upsampled once by dlib: it finds faces
# from ~2% of the long side (80 px in a 12 MP photo). 1000 px halves the time but misses faces
# under ~3.3% of the long side (130 px in 12 MP). See FINDINGS.md for the measured table.
DEFAULT_DETECT_LONG_SIDE = 1500
# Below this face width (in the photo's own pixels) the descriptor drifts too far from the same
# face seen large (see FINDINGS.md), so such faces are kept as faces but not described.
DEFAULT_MIN_DESCRIBE_PX = 40
# Bounded time on crowded photos: every detected face above the score is kept (up to
# MAX_FACES), but only the MAX_DESCRIBED best-scoring get a descriptor (~0.1 s each on a CPU).
DEFAULT_MAX_DESCRIBED = 64
DEFAULT_MAX_FACES = 256
# Photos smaller than this on their short side cannot hold a face the detector can find
# (its window is 80 px, 40 px with one upsampling).
MIN_IMAGE_SIDE = 32
# dlib aligns faces onto a 150 px chip with 25% padding; the crop it reads from is reduced so
# the face is at most this wide first, which keeps the chip the same and the work bounded.
_CROP_FACE_PX = 300


@dataclass(frozen=True, eq=False)
class Face:
    """One face found in a photo.

    ``box`` is (left, top, right, bottom) in the pixels of the image given to
    :meth:`FaceReader.faces`, clipped to it. ``score`` is the detector's margin (higher is more
    face-like). ``landmarks5`` holds five (x, y) points in the same pixels: the outer and inner
    corner of one eye, then of the other, then the bottom of the nose. ``descriptor`` is a
    float32[128] vector, or None when the face is too small (or too many faces) to describe.
    """

    box: tuple[int, int, int, int]
    score: float
    landmarks5: tuple[tuple[float, float], ...]
    descriptor: np.ndarray | None

    @property
    def width(self) -> int:
        """Width of the box in pixels."""
        return self.box[2] - self.box[0]


def default_models_dir() -> Path | None:
    """Where ``face_recognition_models`` keeps its ``.dat`` files, without importing it.

    Returns None when the package is not installed. In the frozen bundle the two files lie
    under its resources (packaging/photosearch.spec copies them, not the package).
    """
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None and (Path(bundle) / "face_recognition_models" / "models").is_dir():
        return Path(bundle) / "face_recognition_models" / "models"
    spec = importlib.util.find_spec("face_recognition_models")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "models"


def _missing(what: str, details: str) -> ModelUnavailableError:
    return ModelUnavailableError(
        _("Face recognition is not available: {what}. Install it with 'pip install "
          "dlib-bin face_recognition_models', or switch People off in Settings.").format(
            what=what),
        details,
        reason=ModelUnavailableError.FOLDER,
    )


class FaceReader:
    """Finds faces in photos and describes each with a 128-d vector.

    Models load on first use (or :meth:`load`); one reader may be shared by threads, calls are
    serialised because dlib's objects are not documented as thread-safe.
    """

    def __init__(
        self,
        models_dir: Path | None = None,
        *,
        detect_long_side: int = DEFAULT_DETECT_LONG_SIDE,
        upsample: int = 1,
        min_score: float = DEFAULT_MIN_SCORE,
        min_describe_px: int = DEFAULT_MIN_DESCRIBE_PX,
        max_described: int = DEFAULT_MAX_DESCRIBED,
        max_faces: int = DEFAULT_MAX_FACES,
    ) -> None:
        self.models_dir = models_dir
        self.detect_long_side = detect_long_side
        self.upsample = upsample
        self.min_score = min_score
        self.min_describe_px = min_describe_px
        self.max_described = max_described
        self.max_faces = max_faces
        self._lock = threading.Lock()
        self._detector: Any = None
        self._landmarks: Any = None
        self._describer: Any = None

    def version(self) -> str:
        """A string that changes when the faces this reader finds would change."""
        return (
            f"{MODEL_ID}/L{self.detect_long_side}u{self.upsample}"
            f"s{self.min_score}d{self.min_describe_px}"
        )

    def load(self) -> None:
        """Load the models now; raises :class:`ModelUnavailableError` with the next step."""
        with self._lock:
            self._load_locked()

    def _load_locked(self) -> None:
        if self._describer is not None:
            return
        try:
            import dlib
        except ImportError as exc:
            raise _missing(_("the dlib library is not installed"), repr(exc)) from exc
        folder = self.models_dir or default_models_dir()
        if folder is None:
            raise _missing(_("the face model files are not installed"),
                           "no face_recognition_models")
        paths = [folder / LANDMARKS_FILE, folder / DESCRIPTOR_FILE]
        for path in paths:
            if not path.is_file():
                raise _missing(_("the model file {name} is missing").format(name=path.name),
                               str(path))
        try:
            landmarks = dlib.shape_predictor(str(paths[0]))
            describer = dlib.face_recognition_model_v1(str(paths[1]))
        except RuntimeError as exc:  # dlib raises RuntimeError on a truncated/corrupt file
            raise ModelUnavailableError(
                _("Face recognition is not available: a face model file is damaged. "
                  "Reinstall it with 'pip install --force-reinstall "
                  "face_recognition_models'."),
                f"{folder}: {exc}",
                reason=ModelUnavailableError.LOAD_FAILED,
            ) from exc
        self._detector = dlib.get_frontal_face_detector()
        self._landmarks = landmarks
        self._describer = describer
        log.info("face models loaded from %s", folder)

    def faces(self, image: Image.Image) -> list[Face]:
        """Find the faces in an already-oriented photo, best detector score first.

        Any PIL mode is accepted (grey, palette, alpha, 16-bit are converted to RGB). Photos too
        small to hold a face give an empty list.
        """
        with self._lock:
            self._load_locked()
            return self._faces_locked(image)

    def _faces_locked(self, image: Image.Image) -> list[Face]:
        import dlib

        rgb = _as_rgb(image)
        width, height = rgb.size
        if min(width, height) < MIN_IMAGE_SIDE:
            return []
        scale = min(1.0, self.detect_long_side / max(width, height))
        small = rgb
        if scale < 1.0:
            size = (max(1, round(width * scale)), max(1, round(height * scale)))
            small = rgb.resize(size, Image.Resampling.BILINEAR, reducing_gap=2.0)
        upsample = self.upsample
        if max(small.size) * 4 <= self.detect_long_side:
            # A thumbnail-sized photo: one more upsampling finds its faces down to ~20 px, and
            # costs little at this size (0.08 s at 154 px, measured).
            upsample += 1
        rects, scores, _kinds = self._detector.run(np.asarray(small), upsample, self.min_score)
        found = sorted(zip(scores, rects, strict=True), key=lambda pair: -pair[0])
        if len(found) > self.max_faces:
            log.info("%d faces in one photo; keeping the best %d", len(found), self.max_faces)
            found = found[: self.max_faces]
        faces = []
        for rank, (score, rect) in enumerate(found):
            box = _clip_box(
                (
                    rect.left() / scale,
                    rect.top() / scale,
                    rect.right() / scale,
                    rect.bottom() / scale,
                ),
                width,
                height,
            )
            if box[2] - box[0] < 2 or box[3] - box[1] < 2:
                continue
            describe = rank < self.max_described and box[2] - box[0] >= self.min_describe_px
            landmarks, descriptor = self._describe(dlib, rgb, box, describe)
            faces.append(Face(box, float(score), landmarks, descriptor))
        return faces

    def _describe(
        self, dlib: Any, rgb: Image.Image, box: tuple[int, int, int, int], describe: bool
    ) -> tuple[tuple[tuple[float, float], ...], np.ndarray | None]:
        """Landmarks (photo pixels) and, if asked, the descriptor for one face box."""
        left, top, right, bottom = box
        side = max(right - left, bottom - top)
        # The aligned chip reaches ~25% beyond the eyes/nose frame; a margin of one face width
        # on every side covers it even for tilted faces.
        crop_box = _clip_box(
            (left - side, top - side, right + side, bottom + side), rgb.width, rgb.height
        )
        crop = rgb.crop(crop_box)
        shrink = min(1.0, _CROP_FACE_PX / side)
        if shrink < 1.0:
            crop = crop.resize(
                (max(1, round(crop.width * shrink)), max(1, round(crop.height * shrink))),
                Image.Resampling.BILINEAR,
                reducing_gap=2.0,
            )
        pixels = np.asarray(crop)
        rect = dlib.rectangle(
            round((left - crop_box[0]) * shrink),
            round((top - crop_box[1]) * shrink),
            round((right - crop_box[0]) * shrink),
            round((bottom - crop_box[1]) * shrink),
        )
        shape = self._landmarks(pixels, rect)
        landmarks = tuple(
            (shape.part(i).x / shrink + crop_box[0], shape.part(i).y / shrink + crop_box[1])
            for i in range(shape.num_parts)
        )
        if not describe:
            return landmarks, None
        chip = dlib.get_face_chip(pixels, shape, size=150, padding=0.25)
        vector = np.asarray(self._describer.compute_face_descriptor(chip), dtype=np.float32)
        return landmarks, vector


def _as_rgb(image: Image.Image) -> Image.Image:
    """An 8-bit RGB image; 16-bit grey is scaled down first (PIL's convert would clip it)."""
    if image.mode == "RGB":
        return image
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        array = np.asarray(image, dtype=np.float32)
        peak = float(array.max()) or 1.0
        image = Image.fromarray((array * (255.0 / peak)).astype(np.uint8), "L")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        # Transparent areas become white, as a viewer shows them, rather than black.
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _clip_box(
    box: tuple[float, float, float, float], width: int, height: int
) -> tuple[int, int, int, int]:
    left, top, right, bottom = box
    return (
        max(0, min(width, round(left))),
        max(0, min(height, round(top))),
        max(0, min(width, round(right))),
        max(0, min(height, round(bottom))),
    )


def descriptor_distance(a: np.ndarray, b: np.ndarray) -> float:
    """Euclidean distance between two descriptors (the metric the ResNet was trained for)."""
    return float(np.linalg.norm(a.astype(np.float32) - b.astype(np.float32)))
