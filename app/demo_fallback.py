"""``make run`` on a machine that cannot fetch the default model: show the demo instead.

When the model the library asks for is unavailable (offline, weights not downloaded), a
newcomer would otherwise see an empty window and an explanation. With ``--demo-fallback`` the
window says so plainly and switches to a separate demo library: the bundled tiny model on
generated demo photos, indexed at once, so PhotoSearch can be seen working. The user's own
library and settings are left as they were.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

from app.i18n import example_query, translate
from app.presenters.model_presenter import ModelState

log = logging.getLogger(__name__)

DEMO_PHOTOS = 200
# The query the notice suggests: one the demo library answers well (see app.i18n).
EXAMPLE_QUERY = example_query()


def open_demo_library(home: Path, previous: Any | None) -> Any:
    """Write the demo photos (once), open the demo library and add them; close ``previous``."""
    from engine.api import DEMO_MODEL, Library, write_demo_photos

    photos = write_demo_photos(home / "photos", DEMO_PHOTOS) / "test"
    library = Library.open(home=home, model=DEMO_MODEL)
    if not library.folders():
        library.add_folder(photos)
    if previous is not None:
        previous.close()
    return library


def demo_notice(model: str, why: str, home: Path) -> str:
    """Why the demo is shown, what to search for and what to do next, in the UI language."""
    return translate(
        "DemoFallback",
        "The model %1 cannot be loaded here: %2 PhotoSearch is showing its bundled demo model on "
        "generated demo photos instead (%3). Try a search like \u201c%4\u201d. To search your own "
        "photos, connect to the internet and start PhotoSearch again.",
    ).replace("%1", model).replace("%2", why).replace("%3", str(home)).replace(
        "%4", EXAMPLE_QUERY)


def install_demo_fallback(window: Any) -> None:
    """Switch ``window`` to the demo library the first time its model turns out unavailable."""
    state = {"switched": False}

    def on_state(new_state: str, text: str) -> None:
        library = window.library
        if state["switched"] or new_state != ModelState.UNAVAILABLE or library is None:
            return
        if library.model_spec == "demo":
            return
        state["switched"] = True
        home = Path(library.home) / "demo-library"
        notice = demo_notice(library.model_spec, text, home)
        print(f"PhotoSearch: {notice}", file=sys.stderr, flush=True)
        log.warning("demo fallback: %s", notice)
        window.setWindowTitle(translate(
            "DemoFallback", "PhotoSearch \u2014 demo (the default model is not available)"))
        window.notice_bar.show_notice(notice)
        window.statusBar().showMessage(translate(
            "DemoFallback",
            "Default model unavailable (offline?): showing the bundled demo model on demo photos",
        ), 0)
        window.index_on_start = True
        window.open_library(lambda: open_demo_library(home, library))

    window.model_presenter.state_changed.connect(on_state)
