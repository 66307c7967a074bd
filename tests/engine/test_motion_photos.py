"""Motion photos (JPEG + MP4 in one file) and Live Photo pairs, on files the test writes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import video_samples as vs
from PIL import Image

from engine.media.motion_photos import live_photo_pairs, motion_part
from engine.media.video import sample_frames, video_info


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = tmp_path_factory.mktemp("clip") / "clip.mp4"
    vs.write_scene_video(path, vs.FORMATS["mp4"], scenes=("chelsea",), seconds_per_scene=1.5,
                         container_options={"movflags": "faststart"})
    return path.read_bytes()


def _jpeg(xmp: bytes | None = None) -> bytes:
    buffer = io.BytesIO()
    vs.photo("coffee").save(buffer, "JPEG", quality=85, **({"xmp": xmp} if xmp else {}))
    return buffer.getvalue()


def _xmp(body: str) -> bytes:
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        f"{body}</rdf:RDF></x:xmpmeta>"
    ).encode()


def _check(path: Path, clip: bytes, tmp_path: Path) -> None:
    found = motion_part(path)
    assert found is not None
    offset, length = found
    data = path.read_bytes()
    assert data[offset : offset + length] == clip
    Image.open(path).load()  # the still is still a valid JPEG
    extracted = tmp_path / "motion.mp4"
    extracted.write_bytes(data[offset : offset + length])
    assert video_info(extracted).duration_s == pytest.approx(1.5, abs=0.15)
    assert list(sample_frames(extracted))


def test_google_container_directory(tmp_path: Path, clip: bytes) -> None:
    xmp = _xmp(
        '<rdf:Description xmlns:Camera="http://ns.google.com/photos/1.0/camera/" '
        'xmlns:Container="http://ns.google.com/photos/1.0/container/" '
        'xmlns:Item="http://ns.google.com/photos/1.0/container/item/" '
        'Camera:MotionPhoto="1" Camera:MotionPhotoVersion="1" '
        'Camera:MotionPhotoPresentationTimestampUs="500000">'
        "<Container:Directory><rdf:Seq>"
        '<rdf:li rdf:parseType="Resource"><Container:Item Item:Mime="image/jpeg" '
        'Item:Semantic="Primary" Item:Length="0" Item:Padding="0"/></rdf:li>'
        '<rdf:li rdf:parseType="Resource"><Container:Item Item:Mime="video/mp4" '
        f'Item:Semantic="MotionPhoto" Item:Length="{len(clip)}" Item:Padding="0"/></rdf:li>'
        "</rdf:Seq></Container:Directory></rdf:Description>"
    )
    path = tmp_path / "PXL_20230101_120000000.MP.jpg"
    path.write_bytes(_jpeg(xmp) + clip)
    _check(path, clip, tmp_path)


def test_google_micro_video_offset(tmp_path: Path, clip: bytes) -> None:
    xmp = _xmp(
        '<rdf:Description xmlns:GCamera="http://ns.google.com/photos/1.0/camera/" '
        f'GCamera:MicroVideo="1" GCamera:MicroVideoVersion="1" '
        f'GCamera:MicroVideoOffset="{len(clip)}" '
        'GCamera:MicroVideoPresentationTimestampUs="500000"/>'
    )
    path = tmp_path / "MVIMG_20190101_120000.jpg"
    path.write_bytes(_jpeg(xmp) + clip)
    _check(path, clip, tmp_path)


def test_samsung_marker_with_trailer(tmp_path: Path, clip: bytes) -> None:
    # Samsung: JPEG, then "MotionPhoto_Data" and the MP4, then its SEF trailer
    trailer = b"\x00\x00\x30\x0aSEFH" + bytes(24) + b"SEFT"
    path = tmp_path / "20230101_120000.jpg"
    path.write_bytes(_jpeg() + b"MotionPhoto_Data" + clip + trailer)
    _check(path, clip, tmp_path)


def test_plain_jpeg_and_wrong_offsets(tmp_path: Path, clip: bytes) -> None:
    plain = tmp_path / "plain.jpg"
    plain.write_bytes(_jpeg())
    assert motion_part(plain) is None
    # An XMP that points at the wrong place (a re-saved file that kept the XMP but lost the
    # video) must not give an offset into the image data.
    xmp = _xmp('<rdf:Description xmlns:GCamera="http://ns.google.com/photos/1.0/camera/" '
               'GCamera:MicroVideo="1" GCamera:MicroVideoOffset="5000"/>')
    stale = tmp_path / "stale.jpg"
    stale.write_bytes(_jpeg(xmp))
    assert motion_part(stale) is None


def test_live_photo_pairs(tmp_path: Path) -> None:
    names = ["IMG_0001.HEIC", "IMG_0001.MOV", "IMG_0002.JPG", "IMG_0002.mov", "IMG_0003.HEIC",
             "IMG_0004.mov", "IMG_0005.JPG", "IMG_0005.HEIC", "IMG_0005.MOV"]
    other = tmp_path / "other"
    paths = [tmp_path / n for n in names] + [other / "IMG_0003.MOV"]
    pairs = live_photo_pairs(paths)
    assert pairs == {
        tmp_path / "IMG_0001.HEIC": tmp_path / "IMG_0001.MOV",
        tmp_path / "IMG_0002.JPG": tmp_path / "IMG_0002.mov",
        tmp_path / "IMG_0005.HEIC": tmp_path / "IMG_0005.MOV",
    }


def test_scan_keeps_a_long_video_beside_a_same_name_still(tmp_path: Path) -> None:
    from engine.ingest.scan import LIVE_MOTION_MAX_BYTES, scan_folder

    _write(tmp_path / "IMG_0001.JPG")
    (tmp_path / "IMG_0001.MOV").write_bytes(b"\0" * 1024)  # a Live Photo's motion
    _write(tmp_path / "holiday.jpg")
    with open(tmp_path / "holiday.mp4", "wb") as fp:  # a film with its poster beside it
        fp.truncate(LIVE_MOTION_MAX_BYTES + 1)
    scan = scan_folder(tmp_path)
    assert sorted(Path(f.path).name for f in scan.files) == [
        "IMG_0001.JPG", "holiday.jpg", "holiday.mp4"]
    assert [(Path(a).name, Path(b).name) for a, b in scan.alternates] == [
        ("IMG_0001.MOV", "IMG_0001.JPG")]


def _write(path: Path) -> None:
    path.write_bytes(_jpeg())
