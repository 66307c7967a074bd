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

from app.presenters.model_presenter import ModelState

log = logging.getLogger(__name__)

DEMO_PHOTOS = 200
EXAMPLE_QUERY = "two red circles on the left on grass"


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
        notice = (
            f"The model {library.model_spec} cannot be loaded here: {text} "
            f"Showing the bundled demo model on generated demo photos instead ({home}). "
            "Try a search like \u201c" + EXAMPLE_QUERY + "\u201d."
        )
        print(f"PhotoSearch: {notice}", file=sys.stderr, flush=True)
        log.warning("demo fallback: %s", notice)
        window.setWindowTitle("PhotoSearch \u2014 demo (the default model is not available)")
        window.statusBar().showMessage(
            "Default model unavailable (offline?): showing the bundled demo model on demo photos",
            0,
        )
        window.index_on_start = True
        window.open_library(lambda: open_demo_library(home, library))

    window.model_presenter.state_changed.connect(on_state)
