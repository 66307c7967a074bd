"""Seconds of 1080p H.264 video indexed per second of wall time (decode + sampling).

Makes its own clips with PyAV (real photos from scikit-image, panned, with sensor-like noise,
cut every 5 s; x264 with a 1 s keyframe interval and B-frames, like a phone) into a cache
folder, then times:

* short clip, frame-by-frame mode (what clips up to FULL_DECODE_MAX_S get);
* long clip (the short one stream-copied end to end), seek mode at the 10 s max spacing;
* for comparison: decoding every frame with no skipping, and keyframes only.

Repeats each timing (default 3) and reports min and median. ``--embed`` also times the CLIP
embedding of the sampled frames with the demo model (per frame). The last line is
``video_s_per_s: X`` for the short clip in frame-by-frame mode (the common case and the slow
one). Rough: the machine is shared.

    python bench/video_throughput.py [--short-s 30] [--long-min 20] [--repeats 3] [--embed]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "engine")]

from video_samples import SCENE_PHOTOS, scene_frames

from engine.media.video import sample_frames, video_info

SIZE = (1920, 1080)
FPS = 30


def make_short(path: Path, seconds: int) -> None:
    rng = np.random.default_rng(0)
    noise = [rng.normal(0, 3, (SIZE[1], SIZE[0], 3)).astype(np.int16) for _ in range(4)]
    per_scene = 5 * FPS
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=FPS,
                                options={"preset": "veryfast", "crf": "21", "g": str(FPS),
                                         "bf": "2"})
        stream.width, stream.height = SIZE
        stream.pix_fmt = "yuv420p"
        index = 0
        scene = 0
        while index < seconds * FPS:
            name = SCENE_PHOTOS[scene % len(SCENE_PHOTOS)]
            for array in scene_frames(name, SIZE, per_scene):
                noisy = np.clip(array.astype(np.int16) + noise[index % 4], 0, 255)
                frame = av.VideoFrame.from_ndarray(noisy.astype(np.uint8), format="rgb24")
                frame.pts, frame.time_base = index, Fraction(1, FPS)
                out.mux(stream.encode(frame))
                index += 1
                if index >= seconds * FPS:
                    break
            scene += 1
        out.mux(stream.encode())


def make_long(short: Path, path: Path, copies: int) -> None:
    """Concatenate ``short`` ``copies`` times without re-encoding (packets, shifted pts)."""
    with av.open(str(short)) as src, av.open(str(path), "w") as out:
        in_stream = src.streams.video[0]
        out_stream = out.add_stream_from_template(in_stream)
        packets = [p for p in src.demux(in_stream) if p.dts is not None]
        span = in_stream.duration
        for copy in range(copies):
            for packet in packets:
                packet.pts += span if copy else 0
                packet.dts += span if copy else 0
                packet.stream = out_stream
                out.mux(packet)


def timed(fn, repeats: int) -> tuple[float, float, object]:
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times), result


def decode_all(path: Path, skip: str) -> int:
    with av.open(str(path)) as c:
        s = c.streams.video[0]
        s.codec_context.thread_type = "AUTO"
        s.codec_context.skip_frame = skip
        return sum(1 for _ in c.decode(s))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--short-s", type=int, default=30)
    parser.add_argument("--long-min", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "vbench")
    parser.add_argument("--embed", action="store_true")
    args = parser.parse_args()
    args.cache.mkdir(exist_ok=True)
    short = args.cache / f"short_{args.short_s}s_1080p.mp4"
    if not short.exists():
        start = time.perf_counter()
        make_short(short, args.short_s)
        print(f"made {short.name} in {time.perf_counter() - start:.0f} s")
    copies = max(1, args.long_min * 60 // args.short_s)
    long = args.cache / f"long_{copies * args.short_s}s_1080p.mp4"
    if not long.exists():
        make_long(short, long, copies)
    for clip in (short, long):
        info = video_info(clip)
        mbps = clip.stat().st_size * 8 / info.duration_s / 1e6
        print(f"{clip.name}: {info.duration_s:.0f} s, {info.width}x{info.height} {info.codec}, "
              f"{mbps:.1f} Mbit/s")

    dur_short = video_info(short).duration_s
    dur_long = video_info(long).duration_s
    for skip in ("DEFAULT", "NONREF", "NONKEY"):
        lo, med, n = timed(lambda s=skip: decode_all(short, s), args.repeats)
        print(f"decode only, skip_frame={skip}: {n} frames, {dur_short / lo:.1f} / "
              f"{dur_short / med:.1f} video s per s (best / median)")

    lo, med, frames = timed(lambda: list(sample_frames(short)), args.repeats)
    short_rate = dur_short / med
    print(f"short clip, frame-by-frame sampling: {len(frames)} frames sampled, "
          f"{dur_short / lo:.1f} / {short_rate:.1f} video s per s (best / median)")
    lo, med, frames_long = timed(lambda: list(sample_frames(long)), args.repeats)
    print(f"long clip ({dur_long / 60:.0f} min), seek sampling: {len(frames_long)} frames, "
          f"{med:.1f} s, {dur_long / lo:.0f} / {dur_long / med:.0f} video s per s; "
          f"a 2 h video ~ {7200 / dur_long * med:.0f} s")

    if args.embed:
        import torch

        model_dir = Path("/work/main/resources/models/demo-clip")
        model, _, preprocess = _demo_model(model_dir)
        images = [f.image for f in frames]
        with torch.no_grad():
            batch = torch.stack([preprocess(i) for i in images])
            start = time.perf_counter()
            model.encode_image(batch)
            per = (time.perf_counter() - start) / len(images)
        print(f"demo CLIP embedding: {per * 1000:.1f} ms per frame ({len(images)} frames)")
    print(f"video_s_per_s: {short_rate:.1f}")


def _demo_model(model_dir: Path):  # type: ignore[no-untyped-def]
    import open_clip

    model, _, preprocess = open_clip.create_model_and_transforms(f"local-dir:{model_dir}")
    return model.eval(), None, preprocess


if __name__ == "__main__":
    main()
