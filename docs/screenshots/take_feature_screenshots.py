"""Take the README's screenshots of understood queries and of People.

    xvfb-run -s "-screen 0 1400x900x24" sh -c \
        "openbox & sleep 1; .venv/bin/python docs/screenshots/take_feature_screenshots.py"

* ``understood.png``: "blue squares Lisbon 2019" over demo photos, some of which carry GPS in
  Lisbon or Kyoto and capture dates in 2019 or 2021 (written into their EXIF here): the query
  is split into a place, a year and the words, shown as chips under the search box.
* ``people.png``: the People view over real faces (Grace Hopper and Eileen Collins, in the
  variants the tests use: tests/engine/real_faces.py), one of them named.

Each runs the real engine on a fresh temporary library with the bundled demo model.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from PIL import Image

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(HERE), str(ROOT / "tests" / "engine")]

from exif_samples import gps_ifd  # noqa: E402
from real_faces import VARIANTS, eileen, grace, no_face_photos  # noqa: E402
from take_screenshots import grab, new_window, search, settle, wait_until  # noqa: E402

from app.main import create_application  # noqa: E402
from engine.api import Library  # noqa: E402
from engine.evaluation.demo_data import write_demo_photos  # noqa: E402

LISBON, KYOTO = (38.7077, -9.1365), (35.0116, 135.7681)
QUERY = "blue squares Lisbon 2019"


def _tag(path: Path, taken: str, where: tuple[float, float]) -> None:
    """Rewrite the JPEG at ``path`` with a capture date and a GPS position in its EXIF."""
    with Image.open(path) as image:
        image.load()
        exif = Image.Exif()
        exif.get_ifd(0x8769)[0x9003] = taken
        exif[0x8825] = gps_ifd(*where)
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


def main() -> None:
    app = create_application()
    app.setStyle("Fusion")
    tmp = Path(tempfile.mkdtemp(prefix="photosearch-feature-shots-"))
    if "--people" not in sys.argv:
        understood(tmp)
    people(tmp)


if __name__ == "__main__":
    main()
