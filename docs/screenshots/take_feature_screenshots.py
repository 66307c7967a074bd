"""Take the README's screenshots of understood queries and of People.

    xvfb-run -s "-screen 0 1400x900x24" sh -c \
        "openbox & sleep 1; .venv/bin/python docs/screenshots/take_feature_screenshots.py"

* ``understood.png``: "blue squares Lisbon 2019" over demo photos, some of which carry GPS in
  Lisbon or Kyoto and capture dates in 2019 or 2021 (written into their EXIF here): the query
  is split into a place, a year and the words, shown as chips under the search box.
* ``people.png``: the People view over real faces (Grace Hopper and Eileen Collins, in the
  variants the tests use: tests/engine/real_faces.py), one of them named.
* ``videos.png``: a search over demo photos and short 16:9 videos of demo scenes (written with
  PyAV as tests/engine/video_samples.py writes them); the grid shows each video's frame at its
  best moment with its length, the preview a selected video's moment and "Play from m:ss".
* ``duplicates.png``: Library > Find duplicates… over real photos (scikit-image, scikit-learn)
  and the copies the tests make (tests/engine/photo_samples.py): one photo resized to 50%,
  re-saved at JPEG quality 60 and converted to PNG in other folders, and an identical copy of
  another.

Each runs the real engine on a fresh temporary library with the bundled demo model. Arguments
pick some of them (``--people --videos``); none takes all.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sys
import tempfile
from datetime import datetime
from pathlib import Path

import numpy as np
from PIL import Image

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(HERE), str(ROOT / "tests" / "engine")]

import photo_samples  # noqa: E402
import video_samples  # noqa: E402
from exif_samples import gps_ifd  # noqa: E402
from real_faces import VARIANTS, eileen, grace, no_face_photos  # noqa: E402
from take_screenshots import grab, new_window, search, settle, wait_until  # noqa: E402

from app.main import create_application  # noqa: E402
from engine.api import Library  # noqa: E402
from engine.evaluation.demo_data import Scene, render, write_demo_photos  # noqa: E402

LISBON, KYOTO = (38.7077, -9.1365), (35.0116, 135.7681)
QUERY = "blue squares Lisbon 2019"


def _tag(path: Path, taken: str, where: tuple[float, float] | None = None,
         camera: tuple[str, str] | None = None) -> None:
    """Rewrite the JPEG at ``path`` with a capture date, and a GPS position or the camera's
    make and model if given, in its EXIF."""
    with Image.open(path) as image:
        image.load()
        exif = Image.Exif()
        exif.get_ifd(0x8769)[0x9003] = taken
        if where is not None:
            exif[0x8825] = gps_ifd(*where)
        if camera is not None:
            exif[0x010F], exif[0x0110] = camera
        image.save(path, "JPEG", quality=92, exif=exif)


def understood(tmp: Path) -> None:
    root = write_demo_photos(tmp / "photos", 200)
    dataset = json.loads((root / "dataset.json").read_text(encoding="utf-8"))
    for n, image in enumerate(dataset["images"]):
        path = root / image["filepath"] / image["filename"]
        if not path.is_file():
            continue
        blue_squares = "blue square" in image["sentences"][0]["raw"]
        # Blue squares: most in Lisbon in 2019, some in Kyoto or in 2021; the rest spread out.
        where = LISBON if (blue_squares and n % 4 != 3) or n % 5 == 0 else KYOTO
        year = "2019" if (blue_squares and n % 3 != 2) or n % 2 == 0 else "2021"
        _tag(path, f"{year}:07:{1 + n % 28:02d} 18:30:00", where)
    library = Library.open(home=tmp / "home-understood", model="demo")
    library.add_folder(root / "test")
    library.load_model().result()
    library.index().result()  # the meaning pass, then places, text and faces
    window = new_window(library)
    search(window, QUERY)
    wait_until(lambda: window.understood_chips.isVisible())
    settle(1.0)
    grab(window, "understood")
    window.shutdown()
    window.close()
    library.close()


def people(tmp: Path) -> None:
    folder = tmp / "faces"
    folder.mkdir()
    for person, load in (("grace", grace), ("eileen", eileen)):
        for variant in ("original", "jpeg_45", "flip", "bright_+30", "placed_1600"):
            VARIANTS[variant](load()).save(folder / f"{person}_{variant}.jpg", quality=95)
    for name, image in no_face_photos().items():
        image.save(folder / f"{name}.jpg", quality=95)
    library = Library.open(home=tmp / "home-people", model="demo")
    library.add_folder(folder)
    library.load_model().result()
    library.index().result()
    for person in library.people():  # name Grace Hopper, by the file her face comes from
        cover = library.person_cover(person.id)
        if cover is not None and library.photo(cover[0]).path.name.startswith("grace"):
            library.name_person(person.id, "Grace")
    window = new_window(library)
    view = window.open_people()
    assert view is not None
    view.move(120, 110)
    wait_until(lambda: view.list.count() >= 2 and all(
        not view.list.item(i).icon().isNull() for i in range(view.list.count())))
    grace_item = next(view.list.item(i) for i in range(view.list.count())
                      if view.list.item(i).text() == "Grace")
    grace_item.setSelected(True)
    settle(1.0)
    grab(window, "people")
    view.close()
    window.shutdown()
    window.close()
    library.close()


# The videos: (file name, its scenes, 10 s each). The query describes STARS, 1:00 into the first
# (1:10 long), and one scene of each of the other two.
VIDEO_QUERY = "orange stars against a night sky"
STARS = Scene("star", "orange", 2, "center", "night sky")
VIDEOS = (
    ("VID_20230812_213015.mp4", [Scene("circle", "white", 1, "center", "night sky"),
                                 Scene("square", "yellow", 3, "center", "grass"),
                                 Scene("triangle", "pink", 1, "center", "sand"),
                                 Scene("cross", "blue", 2, "center", "sand"),
                                 Scene("diamond", "white", 1, "center", "grass"),
                                 Scene("circle", "red", 3, "center", "sand"),
                                 STARS]),
    ("VID_20230813_220140.mp4", [Scene("star", "orange", 3, "center", "night sky"),
                                 Scene("circle", "yellow", 1, "center", "night sky")]),
    ("VID_20230814_190502.mp4", [Scene("square", "purple", 2, "center", "sand"),
                                 Scene("star", "orange", 1, "center", "night sky"),
                                 Scene("triangle", "white", 3, "center", "grass"),
                                 Scene("cross", "red", 1, "center", "sand")]),
)


def _wide(scene: Scene, rng: random.Random) -> Image.Image:
    """The demo scene as a 16:9 frame: the square scene in the middle (what CLIP's centre crop
    sees), widened with its own background (its top rows, above the centred shapes, mirrored
    down the sides; no wooden table, whose stripes would not meet)."""
    square = np.asarray(render(scene, 216, rng))
    strip = square[:36]
    band = np.concatenate([strip, strip[::-1]] * 3)  # 216 rows of background
    return Image.fromarray(np.concatenate(
        [band[:, 83::-1], square, band[:, :-85:-1]], axis=1))


def videos(tmp: Path) -> None:
    folder = write_demo_photos(tmp / "videos", 120) / "test"
    for n, (name, scenes) in enumerate(VIDEOS):
        taken = f"{name[4:8]}-{name[8:10]}-{name[10:12]}T{name[13:15]}:{name[15:17]}:{name[17:19]}Z"
        video_samples.write_image_video(
            folder / name, [_wide(s, random.Random(f"{n}-{s.key}")) for s in scenes],
            seconds=10.0, size=(384, 216), metadata={"creation_time": taken})
    library = Library.open(home=tmp / "home-videos", model="demo")
    library.add_folder(folder)
    library.load_model().result()
    library.index().result()  # the meaning pass (poster frames), then the video moments
    window = new_window(library)
    window.search_bar.cut_off_check.setChecked(False)  # the ranked grid, as in results.png
    search(window, VIDEO_QUERY)
    model = window.results_model
    row = next(r for r in range(model.rowCount()) if model.hit(r).path.name == VIDEOS[0][0])
    window.results_view.setCurrentIndex(model.index(row, 0))
    pane = window.preview_pane
    wait_until(lambda: pane.play.isVisible() and not pane.image.image.isNull())
    wait_until(lambda: "(vocabulary," in pane.captions.describe_label.text())
    settle(1.0)
    grab(window, "videos")
    window.shutdown()
    window.close()
    library.close()


def duplicates(tmp: Path) -> None:
    """Real photos in one library folder: ``china`` from the camera with its copies in other
    subfolders (a messenger's, an editor's), ``coffee`` twice."""
    photos = photo_samples.distinct_photos()
    pictures = tmp / "Pictures"
    camera, shared, exports = (pictures / name for name in ("Camera", "WhatsApp Images",
                                                             "Exports"))
    for folder in (camera, shared, exports):
        folder.mkdir(parents=True)
    for n, name in enumerate(("china", "coffee", "astronaut", "chelsea", "rocket", "flower")):
        path = camera / f"IMG_{2041 + n}.jpg"
        photos[name].save(path, quality=95)
        _tag(path, f"2023:06:{10 + n:02d} 09:{12 + 7 * n:02d}:00", camera=("Google", "Pixel 7"))
        _touch(path, f"2023-06-{10 + n:02d} 09:{12 + 7 * n:02d}:00")
    copies = photo_samples.copies(photos["china"])  # without EXIF, dated by their files
    made = {shared / "IMG-20230611-WA0003.jpg": (copies["resized 50%"], "2023-06-11 18:40:00"),
            exports / "IMG_2041-edit.jpg": (copies["JPEG quality 60"], "2023-07-02 21:05:00"),
            exports / "IMG_2041.png": (copies["PNG"], "2023-07-02 21:06:00")}
    for path, (image, when) in made.items():
        image.save(path, quality=60 if "edit" in path.name else 80)
        _touch(path, when)
    shutil.copy2(camera / "IMG_2042.jpg", shared / "IMG_2042.jpg")
    _touch(shared / "IMG_2042.jpg", "2023-06-12 08:00:00")
    library = Library.open(home=tmp / "home-duplicates", model="demo")
    library.add_folder(pictures)
    library.load_model().result()
    library.index().result()  # the meaning pass, then the perceptual hashes and neighbours
    window = new_window(library)
    window.duplicates_action.trigger()  # Library > Find duplicates… (Ctrl+Shift+D)
    dialog = window.duplicates_dialog
    dialog.setGeometry(window.x() + 70, window.y() + 40, 1000, 760)
    wait_until(lambda: bool(dialog.selection.groups) and all(
        label.pixmap() is not None and not label.pixmap().isNull()
        for label in dialog.thumbnails.values()))
    settle(1.0)
    grab(window, "duplicates")
    dialog.close()
    window.shutdown()
    window.close()
    library.close()


def _touch(path: Path, when: str) -> None:
    """Set the file's modification time (local time), as a copy made then would have."""
    moment = datetime.fromisoformat(when).timestamp()
    os.utime(path, (moment, moment))


SHOTS = {"understood": understood, "people": people, "videos": videos,
         "duplicates": duplicates}


def main() -> None:
    app = create_application()
    app.setStyle("Fusion")
    tmp = Path(tempfile.mkdtemp(prefix="photosearch-feature-shots-"))
    chosen = [arg.removeprefix("--") for arg in sys.argv[1:]] or list(SHOTS)
    for name in chosen:
        SHOTS[name](tmp)


if __name__ == "__main__":
    main()
