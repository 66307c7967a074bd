"""Videos made by the tests with PyAV: real photos (scikit-image) as scenes, plus broken files.

Each scene is one photo with a slow pan across it (so frames inside a scene differ a little, as
real footage does), and the scenes follow each other with hard cuts. The writer returns the
scene boundaries so tests can check that a sampled ``time_s`` lies inside the right scene.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PIL import Image, ImageOps

SCENE_PHOTOS = ("astronaut", "coffee", "chelsea", "rocket")


@dataclass(frozen=True)
class Scene:
    """One scene of a test video: which photo, and from/to which second."""

    name: str
    start_s: float
    end_s: float


@dataclass(frozen=True)
class VideoFormat:
    """A container and codec pair to write, with what an encoder needs from us."""

    suffix: str
    container: str
    codec: str
    size: tuple[int, int] = (320, 240)
    pix_fmt: str = "yuv420p"
    options: tuple[tuple[str, str], ...] = ()


FORMATS: dict[str, VideoFormat] = {
    "mp4": VideoFormat(".mp4", "mp4", "libx264"),
    "webm": VideoFormat(".webm", "webm", "libvpx-vp9", options=(("deadline", "realtime"),
                                                                 ("cpu-used", "8"))),
    "mkv": VideoFormat(".mkv", "matroska", "libx264"),
    "mov": VideoFormat(".mov", "mov", "libx264"),
    "avi": VideoFormat(".avi", "avi", "mpeg4"),
    # Old phones: H.263 in 3GP, which only takes a few fixed sizes (CIF here)
    "3gp": VideoFormat(".3gp", "3gp", "h263", size=(352, 288)),
}


def photo(name: str) -> Image.Image:
    """A real photo that scikit-image ships, as RGB."""
    from skimage import data

    array = getattr(data, name)()
    if array.ndim == 2:
        array = np.stack([array] * 3, axis=-1)
    return Image.fromarray(array[..., :3]).convert("RGB")


def scene_frames(name: str, size: tuple[int, int], count: int) -> list[np.ndarray]:
    """``count`` frames panning slowly across the photo ``name`` (10% of its width in all)."""
    image = photo(name)
    w, h = size
    # Fit the photo so the frame is 90% of its width: room for a 10% pan.
    scale = max(w / (image.width * 0.9), h / image.height)
    image = image.resize((round(image.width * scale) + 1, round(image.height * scale) + 1))
    room = image.width - w
    top = (image.height - h) // 2
    frames = []
    for i in range(count):
        left = round(room * i / max(1, count - 1))
        frames.append(np.asarray(image.crop((left, top, left + w, top + h))))
    return frames


def write_scene_video(
    path: Path,
    fmt: VideoFormat,
    scenes: Sequence[str] = SCENE_PHOTOS,
    seconds_per_scene: float = 3.0,
    fps: int = 10,
    metadata: dict[str, str] | None = None,
    rotation: int = 0,
    container_options: dict[str, str] | None = None,
    audio: bool = False,
) -> list[Scene]:
    """Write a video of ``scenes`` with hard cuts between them; return their time spans.

    ``rotation`` sets the display matrix (counter-clockwise degrees, as FFmpeg stores it).
    """
    per_scene = round(seconds_per_scene * fps)
    spans = []
    with av.open(str(path), "w", format=fmt.container, options=container_options or {}) as out:
        for key, value in (metadata or {}).items():
            out.metadata[key] = value
        stream = out.add_stream(fmt.codec, rate=fps, options=dict(fmt.options))
        stream.width, stream.height = fmt.size
        stream.pix_fmt = fmt.pix_fmt
        if rotation:
            stream.set_display_rotation(rotation)
        audio_stream = out.add_stream("aac", rate=48000) if audio else None
        index = 0
        for name in scenes:
            spans.append(Scene(name, index / fps, (index + per_scene) / fps))
            for array in scene_frames(name, fmt.size, per_scene):
                frame = av.VideoFrame.from_ndarray(array, format="rgb24")
                frame.pts = index
                frame.time_base = Fraction(1, fps)
                out.mux(stream.encode(frame))
                index += 1
        out.mux(stream.encode())
        if audio_stream is not None:
            _write_tone(out, audio_stream, index / fps)
    return spans


def write_audio_only(path: Path, container: str = "mp4", codec: str = "aac",
                     seconds: float = 2.0) -> None:
    """An audio-only file (a voice memo): a sine tone, no video track."""
    with av.open(str(path), "w", format=container) as out:
        stream = out.add_stream(codec, rate=48000)
        _write_tone(out, stream, seconds)


def _write_tone(out: av.container.OutputContainer, stream: av.AudioStream, seconds: float) -> None:
    rate = 48000
    frame_size = stream.codec_context.frame_size or 1024
    total = int(seconds * rate)
    t = np.arange(total) / rate
    samples = (0.2 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    layout_channels = stream.codec_context.layout.nb_channels
    fmt = stream.codec_context.format.name
    if fmt.startswith("s16"):
        samples = (samples * 32767).astype(np.int16)
    for start in range(0, total - frame_size + 1, frame_size):
        chunk = samples[start : start + frame_size]
        if fmt.endswith("p"):
            array = np.tile(chunk, (layout_channels, 1))
        else:
            array = np.tile(chunk[:, None], (1, layout_channels)).reshape(1, -1)
        frame = av.AudioFrame.from_ndarray(array, format=fmt,
                                           layout=stream.codec_context.layout.name)
        frame.sample_rate = rate
        frame.pts = start
        out.mux(stream.encode(frame))
    out.mux(stream.encode())


def truncate(path: Path, fraction: float) -> None:
    """Cut the file to ``fraction`` of its size: a copy interrupted mid-way."""
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * fraction)])


def fake_unknown_codec(source: Path, target: Path) -> None:
    """Copy an H.264 MP4/MOV with its sample entry fourcc changed to one no decoder knows."""
    data = source.read_bytes()
    assert data.count(b"avc1") >= 1
    target.write_bytes(data.replace(b"avc1", b"zq9x"))


def write_image_video(path: Path, images: list[Image.Image], seconds: float = 3.0,
                      metadata: dict[str, str] | None = None,
                      size: tuple[int, int] = (256, 256)) -> list[tuple[float, float]]:
    """An H.264 video showing each image for ``seconds`` with a slight zoom (footage is
    never still), hard cuts between them; returns each scene's (start, end). An image of
    another shape than ``size`` is cropped to its centre (as a phone frames a 16:9 video)."""
    fps = 10
    per_scene = round(seconds * fps)
    spans = []
    with av.open(str(path), "w") as out:
        for key, value in (metadata or {}).items():
            out.metadata[key] = value
        stream = out.add_stream("libx264", rate=fps)
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        index = 0
        for image in images:
            spans.append((index / fps, (index + per_scene) / fps))
            rgb = ImageOps.fit(image.convert("RGB"), size)
            for i in range(per_scene):
                crop = 6 * i // per_scene  # a slow zoom of a few pixels
                frame_image = rgb.crop((crop, crop, size[0] - crop, size[1] - crop)).resize(size)
                frame = av.VideoFrame.from_ndarray(np.asarray(frame_image), format="rgb24")
                frame.pts = index
                frame.time_base = Fraction(1, fps)
                out.mux(stream.encode(frame))
                index += 1
        out.mux(stream.encode())
    return spans
