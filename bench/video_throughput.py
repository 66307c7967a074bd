"""Video indexing throughput on this CPU, through the engine: 1080p H.264 clips in a library
on the demo model, indexed end to end (meaning pass: poster frame, metadata; then the video
moments pass: frames sampled at scene changes and embedded).

Makes its own clips with PyAV (real photos from scikit-image, panned, with sensor-like noise,
cut every 5 s; x264 with a 1 s keyframe interval and B-frames, like a phone) into a cache
folder: two short clips (frame-by-frame sampling) and one long one (the first clip
stream-copied end to end; sampled by seeking at the 10 s maximum spacing).

Prints the frames sampled and embedded per second, videos per minute and seconds of video per
second for the whole run (``--repeats`` fresh libraries, best / median), and with
``--decoder`` the raw decoder's speeds for comparison. The last line is
``video_s_per_s: X`` (median, the short clips only: the common and the slow case). Rough: the
machine is shared.

    python bench/video_throughput.py [--short-s 20] [--long-min 10] [--repeats 2] [--decoder]
"""

from __future__ import annotations

import argparse
import shutil
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

from video_samples import SCENE_PHOTOS, scene_frames  # noqa: E402

from engine.media.video import video_info  # noqa: E402

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


def index_run(folder: Path, home: Path) -> tuple[float, float, int]:
    """Index ``folder`` in a fresh library: (total s, video moments pass s, frames)."""
    from engine.api import Library

    shutil.rmtree(home, ignore_errors=True)
    with Library.open(home, model="demo", device="cpu") as lib:
        lib.load_model().result()
        lib.add_folder(folder)
        start = time.perf_counter()
        report = lib.index().result()
        total = time.perf_counter() - start
        frames_pass = next(a.seconds for a in report.analyses if a.name == "video_frames")
        frames = lib.catalog._query("SELECT COUNT(*) FROM video_frames")[0][0]
        if report.failed:
            raise SystemExit(f"{report.failed} videos failed: {report.failures}")
    return total, frames_pass, int(frames)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--short-s", type=int, default=20)
    parser.add_argument("--long-min", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "vbench")
    parser.add_argument("--decoder", action="store_true", help="also time the raw decoder")
    args = parser.parse_args()
    args.cache.mkdir(exist_ok=True)
    shorts = []
    for seconds in (args.short_s, args.short_s * 3 // 4):
        clip = args.cache / "short" / f"short_{seconds}s_1080p.mp4"
        clip.parent.mkdir(exist_ok=True)
        if not clip.exists():
            start = time.perf_counter()
            make_short(clip, seconds)
            print(f"made {clip.name} in {time.perf_counter() - start:.0f} s")
        shorts.append(clip)
    copies = max(1, args.long_min * 60 // args.short_s)
    long = args.cache / "long" / f"long_{copies * args.short_s}s_1080p.mp4"
    long.parent.mkdir(exist_ok=True)
    if not long.exists():
        make_long(shorts[0], long, copies)
    for clip in (*shorts, long):
        info = video_info(clip)
        mbps = clip.stat().st_size * 8 / info.duration_s / 1e6
        print(f"{clip.name}: {info.duration_s:.0f} s, {info.width}x{info.height} {info.codec}, "
              f"{mbps:.1f} Mbit/s")

    if args.decoder:
        short = shorts[0]
        dur = video_info(short).duration_s
        for skip in ("DEFAULT", "NONREF", "NONKEY"):
            lo, med, n = timed(lambda s=skip: decode_all(short, s), args.repeats)
            print(f"raw decoder, skip_frame={skip}: {n} frames, {dur / lo:.1f} / "
                  f"{dur / med:.1f} video s per s (best / median)")

    for name, folder, clips in (("short clips", shorts[0].parent, shorts),
                                ("long clip", long.parent, [long])):
        seconds = sum(video_info(c).duration_s for c in clips)
        runs = [index_run(folder, args.cache / "home") for _ in range(args.repeats)]
        totals = sorted(r[0] for r in runs)
        passes = sorted(r[1] for r in runs)
        frames = runs[-1][2]
        med_total, med_pass = statistics.median(totals), statistics.median(passes)
        print(f"{name} ({len(clips)}, {seconds:.0f} s of video): {frames} frames; "
              f"index {totals[0]:.1f} / {med_total:.1f} s (best / median); "
              f"frames pass {frames / passes[0]:.1f} / {frames / med_pass:.1f} frames/s; "
              f"{len(clips) / totals[0] * 60:.1f} / {len(clips) / med_total * 60:.1f} videos/min; "
              f"{seconds / totals[0]:.1f} / {seconds / med_total:.1f} video s per s")
        if name == "short clips":
            short_rate = seconds / med_total
    print(f"video_s_per_s: {short_rate:.1f}")


if __name__ == "__main__":
    main()
