"""engine.media.video on videos the tests write with PyAV (real photos as scenes)."""

from __future__ import annotations

import shutil
from datetime import timedelta, timezone
from pathlib import Path

import numpy as np
import pytest
import video_samples as vs
from PIL import Image

from engine.errors import PhotoReadError
from engine.media.video import parse_iso6709, sample_frames, video_info


@pytest.fixture(scope="module")
def videos(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, list[vs.Scene]]]:
    folder = tmp_path_factory.mktemp("videos")
    made = {}
    for key, fmt in vs.FORMATS.items():
        path = folder / f"scenes{fmt.suffix}"
        made[key] = (path, vs.write_scene_video(path, fmt))
    return made


def _scene_of(time_s: float, scenes: list[vs.Scene]) -> vs.Scene:
    return next(s for s in scenes if s.start_s - 1e-6 <= time_s < s.end_s)


def _looks_like(image: Image.Image, name: str) -> float:
    """Mean grey difference between a sampled frame and its scene's photo at the same size."""
    reference = vs.photo(name).convert("L").resize((16, 12))
    return float(np.abs(np.asarray(image.convert("L").resize((16, 12)), np.float32)
                        - np.asarray(reference, np.float32)).mean())


@pytest.mark.parametrize("key", list(vs.FORMATS))
def test_every_scene_is_sampled_inside_itself(videos, key: str) -> None:
    path, scenes = videos[key]
    samples = list(sample_frames(path))
    seen = {_scene_of(s.time_s, scenes).name for s in samples}
    assert seen == {s.name for s in scenes}
    for sample in samples:
        scene = _scene_of(sample.time_s, scenes)
        # the image is that scene's photo, not the one before the cut
        scores = {name: _looks_like(sample.image, name) for name in vs.SCENE_PHOTOS}
        assert min(scores, key=scores.get) == scene.name, (sample.time_s, scores)


@pytest.mark.parametrize("key", list(vs.FORMATS))
def test_info_reads_size_duration_codec(videos, key: str) -> None:
    path, scenes = videos[key]
    info = video_info(path)
    assert (info.width, info.height) == vs.FORMATS[key].size
    assert info.duration_s == pytest.approx(scenes[-1].end_s, abs=0.15)
    assert info.fps == pytest.approx(10.0)
    assert info.codec in {"h264", "vp9", "mpeg4", "h263"}
    assert info.rotation == 0 and info.taken_at is None and info.gps_lat is None


def test_spacing_limits(videos) -> None:
    path, scenes = videos["mp4"]
    every_second = [s.time_s for s in sample_frames(path, max_spacing_s=1.0)]
    assert np.all(np.diff(every_second) <= 1.0 + 1e-6)
    # never more than 2 per second, even with a threshold that calls every frame a cut
    dense = [s.time_s for s in sample_frames(path, scene_threshold=0.0, drift_threshold=0.0)]
    assert np.all(np.diff(dense) >= 0.5 - 1e-6)
    # B-frames are skipped (NONREF), so the next decoded frame after 0.5 s may be 0.6 s on
    assert len(dense) >= scenes[-1].end_s * 1.5


def test_images_are_bounded_rgb(videos) -> None:
    path, _ = videos["mp4"]
    sample = next(iter(sample_frames(path, max_side=128)))
    assert sample.image.mode == "RGB" and max(sample.image.size) == 128


def test_resume_mid_video(videos) -> None:
    path, scenes = videos["mkv"]
    full = [s.time_s for s in sample_frames(path)]
    paused_after = full[1]
    resumed = [s.time_s for s in sample_frames(path, start_s=paused_after + 1e-3)]
    assert resumed and resumed[0] > paused_after
    assert {_scene_of(t, scenes).name for t in full[:2] + resumed} == {s.name for s in scenes}


def test_seek_mode_for_long_videos(videos) -> None:
    # A long video is sampled at max spacing by seeking; force it on the short clip.
    path, scenes = videos["mp4"]
    times = [s.time_s for s in sample_frames(path, max_spacing_s=2.0, full_decode_max_s=1.0)]
    assert len(times) >= 5 and np.all(np.diff(times) >= 1.0 - 1e-6)
    assert max(np.diff([0.0, *times, scenes[-1].end_s])) <= 3.0 + 1e-6
    resumed = [s.time_s for s in sample_frames(path, max_spacing_s=2.0, full_decode_max_s=1.0,
                                                start_s=6.0)]
    assert resumed[0] >= 5.0


def test_apple_metadata_rotation_and_gps(tmp_path: Path) -> None:
    path = tmp_path / "IMG_0001.MOV"
    vs.write_scene_video(
        path, vs.FORMATS["mov"], scenes=("coffee",), seconds_per_scene=1.0,
        metadata={
            "creation_time": "2021-06-05T14:03:02.000000Z",
            "com.apple.quicktime.creationdate": "2021-06-05T16:03:02+0200",
            "com.apple.quicktime.location.ISO6709": "+48.8584+002.2945+035.000/",
        },
        container_options={"movflags": "use_metadata_tags"},
        rotation=-90,  # how an iPhone held upright stores its landscape frames
        audio=True,
    )
    info = video_info(path)
    assert info.taken_at == "2021-06-05T16:03:02"  # the camera's wall time, not UTC
    assert (info.gps_lat, info.gps_lon) == pytest.approx((48.8584, 2.2945))
    assert info.rotation == 90
    assert (info.width, info.height) == (240, 320)  # as displayed
    assert info.has_audio
    image = next(iter(sample_frames(path))).image
    assert image.size == (240, 320)
    # turned clockwise: the photo's top-left corner is now at the top right
    upright = vs.scene_frames("coffee", (320, 240), 1)[0]
    expected = Image.fromarray(upright).transpose(Image.Transpose.ROTATE_270)
    assert _mad(image, expected) < 12


def _mad(a: Image.Image, b: Image.Image) -> float:
    a_small = np.asarray(a.convert("L").resize((24, 32)), np.float32)
    b_small = np.asarray(b.convert("L").resize((24, 32)), np.float32)
    return float(np.abs(a_small - b_small).mean())


def test_android_location_and_utc_creation_time(tmp_path: Path) -> None:
    path = tmp_path / "VID_20210605_140302.mp4"
    vs.write_scene_video(
        path, vs.FORMATS["mp4"], scenes=("rocket",), seconds_per_scene=1.0,
        metadata={"creation_time": "2021-06-05T12:03:02.000000Z",
                  "location": "-33.8568+151.2153/"},
    )
    info = video_info(path, local_zone=timezone(timedelta(hours=10)))
    assert info.taken_at == "2021-06-05T22:03:02"
    assert (info.gps_lat, info.gps_lon) == pytest.approx((-33.8568, 151.2153))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+48.8584+002.2945+035.000/", (48.8584, 2.2945)),
        ("-33.8568+151.2153/", (-33.8568, 151.2153)),
        ("+4851.504+00217.670/", (48.8584, 2.29450)),  # DDMM.mmm
        ("+485130.24+0021740.2/", (48.858400, 2.294500)),  # DDMMSS.ss
        ("+00.0000+000.0000/", None),
        ("+95.0+010.0/", None),
        ("garbage", None),
    ],
)
def test_iso6709(text: str, expected: tuple[float, float] | None) -> None:
    parsed = parse_iso6709(text)
    if expected is None:
        assert parsed is None
    else:
        assert parsed == pytest.approx(expected, abs=1e-4)


def test_epoch_zero_creation_time_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "old.mp4"
    vs.write_scene_video(path, vs.FORMATS["mp4"], scenes=("rocket",), seconds_per_scene=0.5,
                         metadata={"creation_time": "1970-01-01T00:00:00.000000Z"})
    assert video_info(path).taken_at is None


# --- broken files: a reason each, never a crash -------------------------------------------


def _reason(call, path: Path) -> str:
    with pytest.raises(PhotoReadError) as caught:
        call(path)
    assert caught.value.details
    return caught.value.user_message


def _both(path: Path) -> list[str]:
    return [_reason(video_info, path), _reason(lambda p: list(sample_frames(p)), path)]


def test_zero_length(tmp_path: Path) -> None:
    path = tmp_path / "empty.mp4"
    path.touch()
    assert _both(path) == ["file is empty"] * 2


def test_not_a_video(tmp_path: Path) -> None:
    path = tmp_path / "notes.mp4"
    path.write_text("shopping list\n" * 100)
    assert _both(path) == ["not a video file, or its header is damaged"] * 2


def test_missing_file(tmp_path: Path) -> None:
    assert _both(tmp_path / "gone.mp4") == ["file vanished while reading"] * 2


@pytest.mark.parametrize(("container", "codec", "suffix"),
                         [("mp4", "aac", ".m4a"), ("ogg", "libopus", ".opus")])
def test_audio_only(tmp_path: Path, container: str, codec: str, suffix: str) -> None:
    path = tmp_path / f"voice{suffix}"
    vs.write_audio_only(path, container, codec)
    assert _both(path) == ["no video track (audio only)"] * 2


def test_unsupported_codec(videos, tmp_path: Path) -> None:
    path = tmp_path / "strange.mp4"
    vs.fake_unknown_codec(videos["mp4"][0], path)
    assert _both(path) == ["video codec not supported"] * 2


def test_truncated_mp4_without_index(videos, tmp_path: Path) -> None:
    # The default MP4 writes its index (moov) at the end: a cut file has no index at all.
    path = tmp_path / "cut.mp4"
    shutil.copy(videos["mp4"][0], path)
    vs.truncate(path, 0.6)
    reasons = _both(path)
    assert all(r in {"not a video file, or its header is damaged",
                     "file is truncated or corrupt"} for r in reasons)


@pytest.mark.parametrize("key", ["mkv", "avi", "webm"])
def test_corrupt_tail_gives_frames_before_it(videos, tmp_path: Path, key: str) -> None:
    source, scenes = videos[key]
    path = tmp_path / f"cut{source.suffix}"
    shutil.copy(source, path)
    vs.truncate(path, 0.6)
    times = [s.time_s for s in sample_frames(path)]
    assert times and times[0] == 0.0 and times[-1] < scenes[-1].end_s
    assert {_scene_of(t, scenes).name for t in times} >= {"astronaut", "coffee"}


def test_faststart_mp4_with_cut_tail(tmp_path: Path) -> None:
    path = tmp_path / "faststart.mp4"
    scenes = vs.write_scene_video(path, vs.FORMATS["mp4"],
                                  container_options={"movflags": "faststart"})
    vs.truncate(path, 0.6)
    assert video_info(path).duration_s == pytest.approx(scenes[-1].end_s, abs=0.15)
    times = [s.time_s for s in sample_frames(path)]
    assert times and times[-1] < scenes[-1].end_s


def test_garbage_in_the_middle(videos, tmp_path: Path) -> None:
    source, scenes = videos["mkv"]
    data = bytearray(source.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 4000] = bytes(range(256)) * 15 + bytes(160)
    path = tmp_path / "damaged.mkv"
    path.write_bytes(bytes(data))
    times = [s.time_s for s in sample_frames(path)]  # must not raise
    assert times and times[0] == 0.0
