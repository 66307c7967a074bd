"""Read videos for indexing: container metadata and frames sampled at scene changes.

Decoding goes through PyAV (FFmpeg inside its wheel). Two public calls:

* :func:`video_info` opens the container once and reads duration, size, codec, frame rate,
  capture time, GPS and rotation from the container metadata (plus the first frame's display
  matrix for rotation). Cheap: it decodes at most one frame.
* :func:`sample_frames` yields ``(time_s, image)`` pairs: the first frame, a frame wherever the
  picture has changed since the last sample (a cheap mean difference on a tiny greyscale
  thumbnail taken straight from the decoded luma plane), and at least one frame every
  ``max_spacing_s``; never two samples closer than ``min_spacing_s``. Short videos are decoded
  frame by frame (skipping non-reference frames); long ones are sampled by seeking to the
  keyframe before every ``max_spacing_s`` mark, so a two-hour film costs ~720 keyframe decodes
  instead of ~200,000 frame decodes. ``start_s`` lets a paused pass continue mid-video.

Every per-file problem (empty, not a video, audio only, codec not supported, truncated) is
raised as :class:`~engine.errors.PhotoReadError` with a short reason for the user. A video whose
tail is corrupt yields the frames before the damage and then stops (logged), as a player would.

Why one module past 500 lines: every call here opens a PyAV container, decodes within it and
maps FFmpeg's failures to the same per-file reasons; metadata, sampling, the frame at a moment
and the poster frame share that container handling and the rotation and colour conversion, so
splitting them would scatter one owner of "reading a video" over several modules.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Callable, Generator, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any, NamedTuple

import av
import av.codec
import av.error
import numpy as np
from PIL import Image

from engine.errors import PhotoReadError
from engine.i18n import _
from engine.media.formats import VIDEO_EXTENSIONS, media_kind, poster_time
from engine.media.imaging import DecodedPhoto, PhotoMetadata, reading

logger = logging.getLogger(__name__)

__all__ = ["VIDEO_EXTENSIONS", "SampledFrame", "VideoInfo", "decode_poster",
           "decoders_available", "frame_at",
           "is_video_path", "parse_iso6709", "poster_time", "sample_frames", "video_info",
           "video_metadata"]
FULL_DECODE_MAX_S: float = 300.0
"""Videos up to this long are decoded frame by frame; longer ones are sampled by seeking."""
DEFAULT_SCENE_THRESHOLD: float = 20.0
"""Mean absolute difference (0-255 grey levels) between consecutive decoded frames, on an
8-cell-wide grey thumbnail, that counts as a cut. Measured on the test scenes (real photos,
panning): cuts score 37-40+, consecutive frames within a scene 3.7 at most (FINDINGS.md)."""
DEFAULT_DRIFT_THRESHOLD: float = 40.0
"""Difference from the last sampled frame that counts as new content without a cut (a walk
into another room). A 10% pan across a detailed photo drifts 32-35: not yet new content."""
_THUMB_CELLS = 8  # the difference thumbnail's long side, in cells
_CELL_POINTS = 8  # luma samples averaged per cell, along each side
_EPOCH_ZERO_YEARS = frozenset({1904, 1970})  # QuickTime/Unix zero dates written by bad muxers
_ISO6709 = re.compile(r"([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)?")


@dataclass(frozen=True)
class VideoInfo:
    """What a video says about itself. ``width``/``height`` are as displayed (rotation applied).

    ``taken_at`` is a naive local ISO time, like a photo's EXIF time: Apple's
    ``com.apple.quicktime.creationdate`` keeps its own local wall time; the container's UTC
    ``creation_time`` is converted to this computer's time zone (or the one passed in).
    ``rotation`` is the clockwise turn, in degrees (0, 90, 180, 270), that displays the frame
    upright (phones record portrait video as landscape frames plus a display matrix).
    """

    duration_s: float
    width: int
    height: int
    codec: str
    fps: float | None
    taken_at: str | None
    gps_lat: float | None
    gps_lon: float | None
    rotation: int
    has_audio: bool


class SampledFrame(NamedTuple):
    """One sampled frame: seconds from the start of the video and the upright RGB image."""

    time_s: float
    image: Image.Image


def is_video_path(path: Path) -> bool:
    """True if ``path`` has an extension this module reads (case-insensitive)."""
    return media_kind(path) == "video"


def decoders_available(names: tuple[str, ...] = ("h264", "hevc", "vp9", "av1", "mpeg4")
                       ) -> list[str]:
    """Which of the video decoders ``names`` this FFmpeg has (loading its libraries: the
    self-test proves a bundle carries them)."""
    found = []
    for name in names:
        try:
            av.codec.Codec(name, "r")
        except Exception:  # UnknownCodecError: not in this build
            continue
        found.append(name)
    return found


def video_info(path: Path, local_zone: tzinfo | None = None) -> VideoInfo:
    """Read a video's metadata. Raises :class:`PhotoReadError` for any problem with the file.

    ``local_zone`` is the zone UTC container times are shown in (default: this computer's).
    """
    path = Path(path)
    with _reading(path), _open(path) as container:
        stream = _video_stream(container, path)
        meta = {key.lower(): value for key, value in container.metadata.items()}
        meta_stream = {key.lower(): value for key, value in stream.metadata.items()}
        rotation = _first_frame_rotation(container, stream)
        width, height = stream.codec_context.width, stream.codec_context.height
        if rotation in (90, 270):
            width, height = height, width
        rate = stream.average_rate or stream.guessed_rate
        lat, lon = _gps(meta)
        return VideoInfo(
            duration_s=_duration_s(container, stream),
            width=width,
            height=height,
            codec=stream.codec_context.name,
            fps=float(rate) if rate else None,
            taken_at=_taken_at(meta, meta_stream, local_zone),
            gps_lat=lat,
            gps_lon=lon,
            rotation=rotation,
            has_audio=bool(container.streams.audio),
        )


def frame_at(path: Path, time_s: float, *, max_side: int = 0, min_short: int = 0
             ) -> SampledFrame:
    """The frame shown at ``time_s`` (the last one if the video ends earlier), upright RGB.

    ``max_side`` bounds the long side; ``min_short`` instead asks for at least that short side
    (never upscaled); both 0: full size. Seeks to the keyframe before ``time_s`` and decodes
    forward, so the cost is one group of pictures whatever the video's length. Raises
    :class:`PhotoReadError` when the file cannot be read or no frame decodes.
    """
    path = Path(path)
    with _reading(path), _open(path) as container:
        stream = _video_stream(container, path)
        stream.codec_context.thread_type = "SLICE"
        origin = _origin_s(stream)
        target = max(0.0, time_s)
        if target > 0:
            container.seek(_pts(stream, target + origin), stream=stream, backward=True)
        picked: tuple[float, Any] | None = None
        for frame in _decoded(container, stream):
            at = _frame_time(frame, origin)
            picked = (at if at is not None else target, frame)
            if at is not None and at >= target - 1e-3:
                break
        if picked is None:
            raise PhotoReadError(_("file is truncated or corrupt: no frame could be decoded"),
                                 str(path))
        at, frame = picked
        side = max_side
        if min_short:
            short, long = min(frame.width, frame.height), max(frame.width, frame.height)
            side = long if min_short >= short else math.ceil(min_short * long / short)
        return SampledFrame(max(0.0, at), _to_image(frame, side or max(frame.width,
                                                                       frame.height)))


def video_metadata(path: Path) -> PhotoMetadata:
    """A video's facts as a photo's: displayed size, capture time and GPS (no camera)."""
    info = video_info(path)
    return PhotoMetadata(info.width, info.height, info.taken_at, None, None, info.gps_lat,
                         info.gps_lon, 1)


def decode_poster(path: Path, target_short: Callable[[tuple[int, int]], int]) -> DecodedPhoto:
    """The poster frame with its short side at least ``target_short(displayed size)`` (never
    upscaled), and the video's metadata: what the meaning pass embeds for the whole video."""
    info = video_info(path)
    frame = frame_at(path, poster_time(info.duration_s),
                     min_short=max(1, target_short((info.width, info.height))))
    return DecodedPhoto(frame.image, PhotoMetadata(info.width, info.height, info.taken_at,
                                                   None, None, info.gps_lat, info.gps_lon, 1))


def sample_frames(
    path: Path,
    *,
    min_spacing_s: float = 0.5,
    max_spacing_s: float = 10.0,
    scene_threshold: float = DEFAULT_SCENE_THRESHOLD,
    drift_threshold: float = DEFAULT_DRIFT_THRESHOLD,
    max_side: int = 512,
    start_s: float = 0.0,
    full_decode_max_s: float = FULL_DECODE_MAX_S,
) -> Generator[SampledFrame, None, None]:
    """Yield frames at scene changes, at least every ``max_spacing_s``, never closer than
    ``min_spacing_s``; images upright RGB with the long side at most ``max_side``.

    The first frame at or after ``start_s`` is always yielded, so a paused pass resumes with
    ``start_s`` just after the last time it stored. Videos longer than ``full_decode_max_s``
    are sampled at ``max_spacing_s`` by seeking (bounded work, no scene detection between
    marks). Raises :class:`PhotoReadError` if the file cannot be read or no frame decodes; a
    corrupt tail ends the iteration after the frames before it.
    """
    if not 0 < min_spacing_s <= max_spacing_s:
        raise ValueError(f"need 0 < min_spacing_s <= max_spacing_s, got {min_spacing_s}, "
                         f"{max_spacing_s}")
    path = Path(path)
    with _reading(path), _open(path) as container:
        stream = _video_stream(container, path)
        duration = _duration_s(container, stream)
        if duration > full_decode_max_s:
            frames = _seek_samples(container, stream, start_s, max_spacing_s, duration)
        else:
            frames = _scene_samples(
                container, stream, start_s, min_spacing_s, max_spacing_s, scene_threshold,
                drift_threshold,
            )
        count = 0
        for time_s, frame in frames:
            count += 1
            yield SampledFrame(time_s, _to_image(frame, max_side))
        if count == 0 and start_s < duration:
            raise PhotoReadError(_("file is truncated or corrupt: no frame could be decoded"),
                                 str(path))


def _scene_samples(
    container: Any,
    stream: Any,
    start_s: float,
    min_spacing_s: float,
    max_spacing_s: float,
    threshold: float,
    drift_threshold: float,
) -> Iterator[tuple[float, Any]]:
    """Decode every reference frame; pick the frame after each cut, on drift, and on time."""
    ctx = stream.codec_context
    ctx.thread_type = "AUTO"  # frame + slice threads: ~1.6x on 2 cores for 1080p H.264
    # Non-reference frames (most B-frames) are never needed to decode others; skipping them
    # saves decode time and a 1/15 s coarser scene boundary does not matter here.
    ctx.skip_frame = "NONREF"
    origin = _origin_s(stream)
    if start_s > 0:
        container.seek(_pts(stream, start_s + origin), stream=stream, backward=True)
    last_time: float | None = None
    last_sampled: np.ndarray | None = None
    previous: np.ndarray | None = None
    pending_cut = False
    for frame in _decoded(container, stream):
        time_s = _frame_time(frame, origin)
        if time_s is None or time_s < start_s - 1e-6:
            continue
        thumb = _luma_thumb(frame)
        if previous is not None and _difference(thumb, previous) >= threshold:
            pending_cut = True  # a cut: sample the first frame after it that spacing allows
        previous = thumb
        if last_time is not None and last_sampled is not None:
            gap = time_s - last_time
            if gap < min_spacing_s - 1e-6:
                continue
            drifted = _difference(thumb, last_sampled) >= drift_threshold
            if not (pending_cut or drifted or gap >= max_spacing_s - 1e-6):
                continue
        last_time, last_sampled, pending_cut = time_s, thumb, False
        yield time_s, frame


def _seek_samples(
    container: Any, stream: Any, start_s: float, spacing_s: float, duration_s: float
) -> Iterator[tuple[float, Any]]:
    """One frame per ``spacing_s`` mark: seek to the keyframe before it, decode forward."""
    ctx = stream.codec_context
    # Frame threading delays output by one frame per thread and must refill after every seek;
    # slice threads only.
    ctx.thread_type = "SLICE"
    origin = _origin_s(stream)
    last_time = -math.inf
    mark = start_s
    while mark < duration_s:
        container.seek(_pts(stream, mark + origin), stream=stream, backward=True)
        ctx.flush_buffers()
        # Take the keyframe itself if it lies in the second half of the previous interval or
        # later; otherwise (long GOPs) decode forward to the mark.
        earliest = max(mark - spacing_s / 2, last_time + spacing_s / 2)
        picked = None
        for frame in _decoded(container, stream):
            time_s = _frame_time(frame, origin)
            if time_s is not None and time_s >= earliest - 1e-6:
                picked = (time_s, frame)
                break
        if picked is None:
            return  # nothing decodes past this point (truncated, or the end)
        last_time = picked[0]
        yield picked
        mark = max(mark + spacing_s, last_time + spacing_s / 2)


def _decoded(container: Any, stream: Any) -> Iterator[Any]:
    """Decoded frames of ``stream``; a decode error after the start ends the stream."""
    packets = container.demux(stream)
    while True:
        try:
            packet = next(packets)
            frames = packet.decode()
        except StopIteration:
            return
        except av.error.FFmpegError as exc:
            # Broken packets in the middle or a truncated tail: stop here like a player would.
            logger.info("video decoding stopped early in %s: %s", container.name, exc)
            return
        yield from frames


def _difference(a: np.ndarray, b: np.ndarray) -> float:
    """Mean absolute difference of two thumbnails, in grey levels (0-255)."""
    return float(np.abs(a - b).mean())


def _luma_thumb(frame: Any) -> np.ndarray:
    """A coarse (8 cells across) float32 grey thumbnail from the Y plane, no colour conversion.

    Strided sampling to ~64 points across, then a block mean down to 8 cells: ~0.1 ms for
    1080p, against ~8 ms for a swscale conversion of the whole frame to RGB. Coarse cells make
    the score robust to small motion (a pan) while a cut still changes most cells.
    """
    if frame.format.name not in _PLANAR_YUV:
        grey = frame.reformat(width=2 * _THUMB_CELLS, height=2 * _THUMB_CELLS, format="gray")
        plane = grey.to_ndarray()
    else:
        y = frame.planes[0]
        plane = np.frombuffer(y, np.uint8).reshape(y.height, y.line_size)[:, : y.width]
    h, w = plane.shape
    step = max(1, max(h, w) // (_THUMB_CELLS * _CELL_POINTS))
    small = plane[::step, ::step].astype(np.float32)
    block = max(1, max(small.shape) // _THUMB_CELLS)
    sh, sw = small.shape[0] // block * block, small.shape[1] // block * block
    small = small[:sh, :sw]
    return small.reshape(sh // block, block, sw // block, block).mean(axis=(1, 3))


_PLANAR_YUV = frozenset(
    {"yuv420p", "yuvj420p", "yuv422p", "yuvj422p", "yuv444p", "yuvj444p", "nv12", "nv21",
     "yuv420p10le", "yuv422p10le", "yuv444p10le", "p010le"}
)


def _to_image(frame: Any, max_side: int) -> Image.Image:
    """Scale in swscale (cheaper than converting full size), convert to RGB, turn upright."""
    w, h = frame.width, frame.height
    scale = min(1.0, max_side / max(w, h))
    tw, th = max(2, round(w * scale)), max(2, round(h * scale))
    image = frame.reformat(width=tw, height=th, format="rgb24", interpolation="AREA").to_image()
    turn = _display_turn(frame)
    if turn:
        image = image.transpose(_TRANSPOSE[turn])
    return image


_TRANSPOSE = {
    90: Image.Transpose.ROTATE_270,  # PIL's ROTATE_n turns counter-clockwise
    180: Image.Transpose.ROTATE_180,
    270: Image.Transpose.ROTATE_90,
}


def _display_turn(frame: Any) -> int:
    """Clockwise degrees (0/90/180/270) to show ``frame`` upright, from its display matrix.

    PyAV's ``frame.rotation`` is FFmpeg's ``av_display_rotation_get``: counter-clockwise
    degrees; an iPhone portrait video reads -90 there, i.e. a 90 degree clockwise turn.
    """
    try:
        ccw = float(frame.rotation)
    except (AttributeError, TypeError, ValueError):
        return 0
    if not math.isfinite(ccw):
        return 0
    return int(round(-ccw / 90.0)) % 4 * 90


def _first_frame_rotation(container: Any, stream: Any) -> int:
    """The display turn from the first decodable frame (FFmpeg moves the matrix there)."""
    for frame in _decoded(container, stream):
        return _display_turn(frame)
    return 0


def _frame_time(frame: Any, origin_s: float) -> float | None:
    if frame.pts is None or frame.time_base is None:
        return None
    return float(frame.pts * frame.time_base) - origin_s


def _origin_s(stream: Any) -> float:
    """The stream's first timestamp: times we report start at 0 like a player's position."""
    if stream.start_time is None or stream.time_base is None:
        return 0.0
    return float(stream.start_time * stream.time_base)


def _pts(stream: Any, seconds: float) -> int:
    return int(max(0.0, seconds) / float(stream.time_base))


def _duration_s(container: Any, stream: Any) -> float:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / av.time_base
    return 0.0


def _video_stream(container: Any, path: Path) -> Any:
    if not container.streams.video:
        reason = (_("no video track (audio only)") if container.streams.audio
                  else _("no video track"))
        raise PhotoReadError(reason, str(path))
    stream = container.streams.video[0]
    if stream.codec_context is None:
        raise PhotoReadError(_("video codec not supported"), f"{path}: no decoder in FFmpeg")
    return stream


def _taken_at(meta: dict[str, str], meta_stream: dict[str, str], zone: tzinfo | None) -> str | None:
    apple = meta.get("com.apple.quicktime.creationdate")
    if apple:
        parsed = _parse_iso(apple)
        if parsed is not None:
            return parsed.replace(tzinfo=None).isoformat()  # the camera's local wall time
    for source in (meta, meta_stream):
        value = source.get("creation_time")
        parsed = _parse_iso(value) if value else None
        if parsed is None or parsed.year in _EPOCH_ZERO_YEARS:
            continue
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)  # QuickTime times are UTC
        return parsed.astimezone(zone).replace(tzinfo=None).isoformat()
    return None


def _parse_iso(text: str) -> datetime | None:
    text = text.strip().replace("Z", "+00:00")
    # Apple writes "+0200"; fromisoformat wants "+02:00" before Python 3.11 (3.11 takes both)
    text = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", text)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed.replace(microsecond=0)


def _gps(meta: dict[str, str]) -> tuple[float | None, float | None]:
    """GPS from Apple's ISO 6709 key, QuickTime/Android ``location`` (from the ©xyz atom)."""
    for key in ("com.apple.quicktime.location.iso6709", "location", "location-eng"):
        value = meta.get(key)
        if value:
            parsed = parse_iso6709(value)
            if parsed is not None:
                return parsed
    return None, None


def parse_iso6709(text: str) -> tuple[float, float] | None:
    """Latitude and longitude from an ISO 6709 string such as ``+48.8584+002.2945+035.0/``.

    Decimal degrees (what phones write) and the DDMM/DDMMSS forms are both read; None for
    anything out of range or unreadable (and for the 0,0 that some apps write for "unknown").
    """
    match = _ISO6709.match(text.strip())
    if match is None:
        return None
    lat = _iso6709_part(match.group(1), degree_digits=2)
    lon = _iso6709_part(match.group(2), degree_digits=3)
    if lat is None or lon is None or abs(lat) > 90 or abs(lon) > 180 or (lat == 0 and lon == 0):
        return None
    return lat, lon


def _iso6709_part(token: str, degree_digits: int) -> float | None:
    sign = -1.0 if token[0] == "-" else 1.0
    whole, _dot, fraction = token[1:].partition(".")
    digits, d = len(whole), degree_digits
    try:
        if digits <= d:
            value = float(token[1:])
        elif digits == d + 2:  # DDMM.mmm
            value = float(whole[:d]) + float(f"{whole[d:]}.{fraction or 0}") / 60
        elif digits == d + 4:  # DDMMSS.sss
            value = (float(whole[:d]) + float(whole[d:d + 2]) / 60
                     + float(f"{whole[d + 2:]}.{fraction or 0}") / 3600)
        else:
            return None
    except ValueError:
        return None
    return sign * value


@contextmanager
def _open(path: Path) -> Iterator[Any]:
    if path.is_file() and path.stat().st_size == 0:
        raise PhotoReadError(_("file is empty"), str(path))
    container = av.open(str(path), metadata_errors="replace")
    try:
        yield container
    finally:
        container.close()


def _video_reason(exc: BaseException) -> str | None:
    if isinstance(exc, av.error.DecoderNotFoundError):
        return _("video codec not supported")
    if isinstance(exc, av.error.InvalidDataError):
        return _("not a video file, or its header is damaged")
    if isinstance(exc, MemoryError):
        return _("not enough memory to decode the video")
    return None  # FFmpegError, OSError, ValueError... from demuxers: "truncated or corrupt"


def _reading(path: Path) -> AbstractContextManager[None]:
    """:func:`~engine.media.imaging.reading` a video: the file's own problems, then FFmpeg's."""
    return reading(path, _video_reason)
