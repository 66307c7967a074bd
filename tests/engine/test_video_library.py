"""Videos in a library, end to end on the demo model: indexed through PyAV, found by a frame at
the right moment, once; broken videos recorded with a reason; the frames pass resumes
mid-video; "find similar" from a moment; dates and places from the container.

The test videos are made here with PyAV from demo scenes (the scenes the demo model knows),
each scene a few seconds with a hard cut to the next.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import video_samples as vs
from conftest import DemoSet
from PIL import Image

from engine.analyses import video as video_analysis
from engine.api import Library, load_thumbnail, load_video_frame
from engine.cli import main
from engine.errors import Cancelled

VideoFolder = tuple[Path, list[str], list[tuple[float, float]]]

@pytest.fixture
def video_folder(tmp_path: Path, demo: DemoSet) -> VideoFolder:
    """Three demo scenes as photos, the same three as scenes of one video, and broken videos."""
    folder = tmp_path / "library"
    folder.mkdir()
    names = demo.names[:3]
    for name in names:
        shutil.copy2(demo.folder / name, folder / name)
    images = [Image.open(demo.folder / n) for n in names]
    spans = vs.write_image_video(folder / "clip.mp4", images,
                        metadata={"creation_time": "2021-06-05T14:03:02.000000Z",
                                  "location": "+38.7223-009.1393/"})
    # Broken ones: a copy cut before its index, an empty file, a voice memo, an unknown codec.
    cut = folder / "cut.mp4"
    shutil.copy2(folder / "clip.mp4", cut)
    vs.truncate(cut, 0.5)
    (folder / "empty.mov").write_bytes(b"")
    vs.write_audio_only(folder / "memo.mp4")
    vs.fake_unknown_codec(folder / "clip.mp4", folder / "odd.mov")
    return folder, names, spans


def _indexed(open_library: Callable[..., Library], folder: Path) -> Library:
    lib = open_library()
    lib.add_folder(folder)
    lib.index().result(timeout=600)
    return lib


def test_video_is_found_once_at_the_right_moment(
        video_folder: VideoFolder, demo: DemoSet,
        open_library: Callable[..., Library]) -> None:
    folder, names, spans = video_folder
    lib = _indexed(open_library, folder)
    for scene, (start, end) in enumerate(spans):
        query = demo.captions[names[scene]][0]
        hits = lib.search(query, k=20, cut_off=False)
        videos = [h for h in hits if h.path.name == "clip.mp4"]
        assert len(videos) == 1, query  # once, however many of its frames match
        hit = videos[0]
        assert hit.kind == "video" and hit.duration_s == pytest.approx(9.0, abs=0.2)
        assert hit.time_s is not None and start - 1e-6 <= hit.time_s < end, (query, hit.time_s)
        assert all(h.kind == "photo" for h in hits if h.path.suffix == ".jpg")


def test_broken_videos_are_recorded_with_a_reason(
        video_folder: VideoFolder,
        open_library: Callable[..., Library]) -> None:
    folder, _, _ = video_folder
    lib = open_library()
    lib.add_folder(folder)
    report = lib.index().result(timeout=600)
    reasons = {f.path.name: f.reason for f in report.failures}
    assert reasons["empty.mov"].startswith("file is empty")
    assert reasons["memo.mp4"] == "no video track (audio only)"
    assert reasons["odd.mov"] == "video codec not supported"
    assert reasons["cut.mp4"] == "not a video file, or its header is damaged"
    assert "clip.mp4" not in reasons
    assert (report.embedded, report.failed) == (4, 4)  # the three photos and the good video


def test_the_video_analyses_run_on_the_videos_alone_and_status_counts_them(
        video_folder: VideoFolder, open_library: Callable[..., Library],
        capsys: pytest.CaptureFixture[str]) -> None:
    """The catalog marks the videos (media_kind): the video analyses run on exactly them, the
    photos count as covered without being queued, and status counts the videos apart."""
    from engine.ingest.background import BackgroundPasses

    folder, names, _ = video_folder
    lib = _indexed(open_library, folder)
    catalog = lib.catalog
    hashes = {Path(r[0]).name: r[1] for r in catalog._query(
        "SELECT path, content_hash FROM photos")}
    kinds = {Path(r[0]).name: r[1] for r in catalog._query("SELECT path, media_kind FROM photos")}
    videos = {"clip.mp4", "cut.mp4", "empty.mov", "memo.mp4", "odd.mov"}
    assert {n for n, k in kinds.items() if k == "video"} == videos
    assert {n for n, k in kinds.items() if k == "photo"} == set(names)
    for name in ("video", "video_frames"):  # the readable video alone (the others failed)
        ran = {r[0] for r in catalog._query(
            "SELECT content_hash FROM analysis_state WHERE analysis = ?", [name])}
        assert ran == {hashes["clip.mp4"]}, name
    assert {r[0] for r in catalog._query("SELECT content_hash FROM videos")} == {
        hashes["clip.mp4"]}
    analyses = {a.name: a for a in lib._analyses(bound=False)}
    passes = BackgroundPasses(catalog, list(analyses.values()))
    frames = analyses["video_frames"]
    assert passes.pending(frames) == [] and passes.pending(analyses["video"]) == []
    photo_hashes = [hashes[n] for n in names]
    assert frames.has_results([*photo_hashes, hashes["clip.mp4"], "unknown"]) == {
        *photo_hashes, hashes["clip.mp4"]}
    # the video's frames forgotten: it alone is pending again, and coverage says so
    with catalog.transaction() as conn:
        conn.execute("DELETE FROM analysis_state WHERE analysis = 'video_frames'")
    assert [w.content_hash for w in passes.pending(frames)] == [hashes["clip.mp4"]]
    status = lib.status()
    coverage = {a.name: a for a in status.analyses}
    assert (coverage["video_frames"].done, coverage["video_frames"].pending) == (3, 1)
    assert (coverage["video"].done, coverage["video"].pending) == (4, 0)
    assert (status.photos, status.videos, status.failed) == (8, 5, 4)
    home = lib.home
    lib.close()
    assert main(["--home", str(home), "--model", "demo", "status"]) == 0
    assert "photos   8 (3 photos, 5 videos): 4 indexed" in capsys.readouterr().out
    assert main(["--home", str(home), "--model", "demo", "status", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["photos"], out["videos"]) == (8, 5)


def test_json_search_and_similar_from_a_moment(
        video_folder: VideoFolder, demo: DemoSet,
        open_library: Callable[..., Library], capsys: pytest.CaptureFixture[str]) -> None:
    folder, names, spans = video_folder
    lib = _indexed(open_library, folder)
    home = lib.home
    lib.close()
    code = main(["--home", str(home), "--model", "demo", "--device", "cpu", "search",
                 demo.captions[names[1]][0], "--all", "--json"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    results = out["results"] if isinstance(out, dict) else out
    video = [r for r in results if r["path"].endswith("clip.mp4")]
    assert len(video) == 1 and video[0]["kind"] == "video"
    assert spans[1][0] - 1e-6 <= video[0]["time_s"] < spans[1][1]
    assert all(r["kind"] == "photo" for r in results if r["path"].endswith(".jpg"))

    code = main(["--home", str(home), "--model", "demo", "--device", "cpu", "similar",
                 str(folder / "clip.mp4"), "--at", str(sum(spans[2]) / 2), "--all", "--json"])
    assert code == 0
    similar = json.loads(capsys.readouterr().out)
    assert Path(similar[0]["path"]).name == names[2]  # like the frame at 7.5 s: scene three

    lib = open_library(home)
    for scene, (start, end) in enumerate(spans):
        moment = (start + end) / 2
        hits = lib.similar(folder / "clip.mp4", k=5, cut_off=False, time_s=moment)
        assert hits[0].path.name == names[scene]  # the photo of the scene at that moment
        assert all(h.path.name != "clip.mp4" for h in hits)  # never the video itself


def test_grid_frame_thumbnail_dates_and_places(
        video_folder: VideoFolder,
        open_library: Callable[..., Library]) -> None:
    folder, _, spans = video_folder
    lib = _indexed(open_library, folder)
    details = lib.photo(lib._photo_id(folder / "clip.mp4"))
    assert (details.width, details.height) == (256, 256)
    assert details.taken_at is not None and details.taken_at.startswith("2021-06-05")
    assert details.gps_lat == pytest.approx(38.7223) and details.gps_lon == pytest.approx(-9.1393)
    frame = load_video_frame(folder / "clip.mp4", (spans[2][0] + spans[2][1]) / 2, 128)
    assert max(frame.size) == 128
    poster = load_thumbnail(folder / "clip.mp4", 64)
    assert max(poster.size) == 64
    # The frame at a moment of the third scene is not the poster (first scene).
    assert np.abs(np.asarray(frame.resize((64, 64)), np.float32)
                  - np.asarray(poster.resize((64, 64)), np.float32)).mean() > 10


def test_frames_pass_pauses_and_resumes_mid_video(
        video_folder: VideoFolder,
        open_library: Callable[..., Library], monkeypatch: pytest.MonkeyPatch) -> None:
    folder, _, _ = video_folder
    monkeypatch.setattr(video_analysis, "STEP_FRAMES", 2)
    lib = open_library()
    lib.add_folder(folder)

    def frames() -> list[float]:
        return [r[0] for r in lib.catalog._query("SELECT time_s FROM video_frames "
                                                  "ORDER BY time_s")]

    def stop_after_first_step(progress: object) -> None:
        if getattr(progress, "pass_name", "") == "video_frames" and frames():
            job.cancel()

    job = lib.index(on_progress=stop_after_first_step)
    with pytest.raises(Cancelled):
        job.result(timeout=600)
    first = frames()
    assert 2 <= len(first) < 6  # stopped after a step or two, mid-video
    assert lib.catalog._query("SELECT COUNT(*) FROM analysis_state WHERE "
                              "analysis = 'video_frames' AND error IS NULL")[0][0] == 0
    lib.index().result(timeout=600)
    after = frames()
    assert after[:len(first)] == first  # kept, not sampled again
    assert len(after) > len(first) and max(after) > 6.0  # went on to the last scene
    assert np.diff(after).min() >= video_analysis.MIN_SPACING_S - 1e-3
    assert lib.catalog._query("SELECT COUNT(*) FROM analysis_state WHERE "
                              "analysis = 'video_frames' AND error IS NULL")[0][0] == 1
    coverage = next(a for a in lib.status().analyses if a.name == "video_frames")
    assert (coverage.done, coverage.pending) == (4, 0)  # photos count as covered


def test_live_photo_and_motion_photo_are_one_photo_each(
        tmp_path: Path, demo: DemoSet, open_library: Callable[..., Library]) -> None:
    folder = tmp_path / "phone"
    folder.mkdir()
    still, other = demo.names[0], demo.names[1]
    shutil.copy2(demo.folder / still, folder / "IMG_0001.JPG")
    vs.write_image_video(folder / "IMG_0001.MOV", [Image.open(demo.folder / still)], seconds=1.5)
    # A Google motion photo: the MP4 appended to the JPEG, its length in the XMP.
    clip = tmp_path / "motion.mp4"
    vs.write_image_video(clip, [Image.open(demo.folder / other)], seconds=1.5)
    data = clip.read_bytes()
    xmp = ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
           '22-rdf-syntax-ns#"><rdf:Description xmlns:GCamera="http://ns.google.com/photos/1.0/'
           f'camera/" GCamera:MicroVideo="1" GCamera:MicroVideoOffset="{len(data)}"/>'
           '</rdf:RDF></x:xmpmeta>').encode()
    jpeg = folder / "MVIMG_0002.jpg"
    Image.open(demo.folder / other).save(jpeg, "JPEG", quality=90, xmp=xmp)
    jpeg.write_bytes(jpeg.read_bytes() + data)
    lib = _indexed(open_library, folder)
    indexed = sorted(Path(r[0]).name for r in lib.catalog._query("SELECT path FROM photos"))
    assert indexed == ["IMG_0001.JPG", "MVIMG_0002.jpg"]  # the MOV is the still's motion
    hits = lib.search(demo.captions[still][0], k=5, cut_off=False)
    assert hits[0].path.name == "IMG_0001.JPG" and hits[0].kind == "photo"
    assert lib.motion_of(folder / "IMG_0001.JPG") == folder / "IMG_0001.MOV"
    extracted = lib.motion_of(jpeg)
    assert extracted is not None and extracted.read_bytes() == data
    assert load_video_frame(extracted, 0.5, 64).size == (64, 64)
