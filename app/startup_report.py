"""The start-up report of ``--startup-report``: two stdout lines with wall-clock times.

``app.main`` prints them; ``bench/gui_startup.py`` and ``packaging/check_bundle.py`` launch the
app (or the frozen program) and read them back with :func:`parse_startup_report`. Standard
library only, so a checker can import it without Qt.
"""

from __future__ import annotations

WINDOW_SHOWN = "window_shown_at"  # followed by time.time() of the window's first paint
FIRST_RESULTS = "first_results_at"  # followed by time.time() and the number of hits


def parse_startup_report(stdout: str, started: float) -> tuple[float | None, float | None]:
    """(seconds to the window, seconds to the first results) after ``started`` (a
    ``time.time()`` taken just before launching), None for a line the app did not print."""
    shown = results = None
    for line in stdout.splitlines():
        parts = line.split()
        if parts and parts[0] == WINDOW_SHOWN and shown is None:
            shown = float(parts[1]) - started
        elif parts and parts[0] == FIRST_RESULTS and results is None:
            results = float(parts[1]) - started
    return shown, results
