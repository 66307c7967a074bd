"""Take the README's screenshot of the app in Chinese (docs/screenshots/results-zh_CN.png).

    apt-get install -y xvfb openbox    # openbox: window frames and titles, like a desktop
    xvfb-run -s "-screen 0 1400x900x24" sh -c \
        "openbox & sleep 1; .venv/bin/python docs/screenshots/take_language_screenshots.py"

The window runs in Simplified Chinese (``--language zh_CN`` does the same for the app) over the
demo library ``make run`` falls back to: the bundled demo model on generated demo photos, with
the search the window suggests. A Noto Sans CJK (or other Chinese) font must be installed.
Uses take_screenshots.py's helpers.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from take_screenshots import grab, new_window, search, wait_until  # noqa: E402

from app.i18n import EXAMPLE_QUERY, translate  # noqa: E402
from app.main import create_application  # noqa: E402
from engine.api import Library  # noqa: E402
from engine.evaluation.demo_data import write_demo_photos  # noqa: E402

LANGUAGE = "zh_CN"


def main() -> None:
    app = create_application(language=LANGUAGE)
    app.setStyle("Fusion")
    tmp = Path(tempfile.mkdtemp(prefix="photosearch-shots-"))
    photos = write_demo_photos(tmp / "photos", 200) / "test"  # what `make run` shows offline
    library = Library.open(home=tmp / "home", model="demo")
    library.add_folder(photos)
    library.load_model().result()
    library.index().result()
    window = new_window(library)
    search(window, EXAMPLE_QUERY)
    captions = window.preview_pane.captions
    vocabulary = translate("CaptionsBox", "vocabulary")  # what describes the photo, in Chinese
    wait_until(lambda: f"({vocabulary}," in captions.describe_label.text(), timeout=120)
    grab(window, f"results-{LANGUAGE}")
    window.shutdown()
    window.close()
    library.close()


if __name__ == "__main__":
    main()
