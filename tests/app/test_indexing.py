"""Indexing progress: counts, rate, ETA, pause/resume, cancel, and the failed-files list."""

from __future__ import annotations

from types import SimpleNamespace

from app.formatting import format_index_progress, format_index_report


def _start_held_run(qtbot, window, fake_library):  # type: ignore[no-untyped-def]
    """Add a folder's photos back as unindexed and start a run that holds after one photo."""
    fake_library.index_hold.set()
    fake_library.add_folder(fake_library.garden)  # marks its 6 photos as not indexed
    window.index_presenter.start()
    qtbot.waitUntil(
        lambda: (
            window.index_presenter.last_progress is not None
            and window.index_presenter.last_progress.done == 1
        ),
        timeout=3000,
    )


def test_progress_bar_shows_counts_rate_and_eta(qtbot, window, fake_library):  # type: ignore[no-untyped-def]
    # The rate comes from the presenter's clock: here one that moves 0.25 s per photo indexed,
    # so the figure is exact whatever the machine's load.
    window.index_presenter.clock = lambda: fake_library.photos_indexed * 0.25
    _start_held_run(qtbot, window, fake_library)
    panel = window.index_panel
    assert panel.isVisible()
    assert panel.bar.maximum() == 6 and panel.bar.value() == 1
    text = panel.label.text()
    assert "Indexing: 1 of 6 photos" in text
    assert "photos/s" not in text  # no rate from one batch: it would be wildly off
    shown: list[str] = []
    window.index_presenter.progress_changed.connect(lambda _p, line: shown.append(line))
    fake_library.index_step_s = 0.02
    fake_library.index_hold.clear()
    qtbot.waitUntil(lambda: not panel.isVisible(), timeout=5000)
    rated = [line for line in shown if "photos/s" in line]
    assert rated, shown
    assert all("left" in line or "almost done" in line for line in rated)
    rate = float(rated[-1].split(" photos/s")[0].rsplit("· ", 1)[1])
    assert rate == 4.0  # one photo every 0.25 s of the clock
    assert "Indexed 6 photos" in window.statusBar().currentMessage()


def test_pause_and_resume(qtbot, window, fake_library):  # type: ignore[no-untyped-def]
    _start_held_run(qtbot, window, fake_library)
    panel = window.index_panel
    panel.pause_button.click()
    assert window.index_presenter.paused
    assert panel.pause_button.text() == "Resume"
    assert "paused" in panel.label.text()
    fake_library.index_hold.clear()
    qtbot.wait(100)
    assert window.index_presenter.running  # held at its next photo while paused
    assert window.index_presenter.last_progress.done <= 2
    panel.pause_button.click()
    assert panel.pause_button.text() == "Pause"
    qtbot.waitUntil(lambda: not window.index_presenter.running, timeout=3000)
    assert window.index_presenter.summary.startswith("Indexed 6 photos")


def test_cancel_stops_the_run(qtbot, window, fake_library):  # type: ignore[no-untyped-def]
    _start_held_run(qtbot, window, fake_library)
    window.index_panel.cancel_button.click()
    qtbot.waitUntil(lambda: not window.index_presenter.running, timeout=3000)
    assert not window.index_panel.isVisible()
    assert "cancelled" in window.statusBar().currentMessage()
    assert window.reporter.dialogs == []  # a cancel is not an error


def test_failed_files_list_with_reasons(qtbot, window, fake_library):  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: window.status_line.failed_button.isVisible(), timeout=3000)
    assert window.status_line.failed_button.text() == "1 failed…"
    window.status_line.failed_button.click()
    qtbot.waitUntil(lambda: getattr(window, "failures_dialog", None) is not None, timeout=3000)
    table = window.failures_dialog.table
    assert table.rowCount() == 1
    assert table.item(0, 0).text() == str(fake_library.broken)
    assert "truncated" in table.item(0, 1).text()


def test_progress_text_formatting():  # type: ignore[no-untyped-def]
    progress = SimpleNamespace(
        phase="embedding", done=120, total=400, failed=2, reused=0, rate=35.2, eta_s=8.0
    )
    assert format_index_progress(progress, rate=35.2, eta_s=8.0) == (
        "Indexing: 120 of 400 photos · 35.2 photos/s · about 8 s left · 2 failed"
    )
    assert format_index_progress(progress) == "Indexing: 120 of 400 photos · 2 failed"
    assert format_index_progress(progress, paused=True, rate=3.0, eta_s=9.0).endswith(
        "3.0 photos/s · 2 failed · paused"
    )
    scanning = SimpleNamespace(
        phase="scanning", done=0, total=0, failed=0, reused=0, rate=0.0, eta_s=None
    )
    assert format_index_progress(scanning) == "Scanning folders…"
    report = SimpleNamespace(
        embedded=10, reused=2, removed=1, failed=0, seconds=75.0, cancelled=False
    )
    assert format_index_report(report) == "Indexed 12 photos, 1 removed in 1 min 15 s."


def test_rate_estimate_waits_for_a_second_of_embedding():  # type: ignore[no-untyped-def]
    from app.presenters.index_presenter import RateEstimator

    now = [100.0]
    rates = RateEstimator(warmup_s=1.0, clock=lambda: now[0])

    def progress(done: int) -> SimpleNamespace:
        return SimpleNamespace(phase="embedding", done=done, total=100)

    assert rates.update(progress(32)) == (None, None)  # the first batch lands at once
    now[0] += 0.2
    assert rates.update(progress(64)) == (None, None)  # still warming up
    now[0] += 1.8
    rate, eta = rates.update(progress(96))
    assert rate == 32.0 and eta == 0.125  # (96 - 32) photos in 2 s; 4 left


def test_a_library_locked_by_another_process_is_a_status_message_not_a_dialog(
    qtbot, window, fake_library, monkeypatch
):  # type: ignore[no-untyped-def]
    from engine.errors import LibraryLockedError

    message = "Another PhotoSearch process (process 42) is updating this library right now."

    def locked(on_progress=None):  # type: ignore[no-untyped-def]
        raise LibraryLockedError(message)

    monkeypatch.setattr(fake_library, "index", locked)
    window.index_presenter.start()
    qtbot.waitUntil(lambda: not window.index_presenter.running, timeout=3000)
    assert window.statusBar().currentMessage() == message
    assert window.reporter.dialogs == []


def test_each_pass_is_shown_by_name() -> None:
    meaning = SimpleNamespace(phase="saving", done=3400, total=3400, failed=0, reused=0,
                              pass_name="meaning", title="meaning")
    text = SimpleNamespace(phase="analysing", done=40, total=3400, failed=2, reused=0,
                           pass_name="text", title="text in photos")
    line = format_index_progress(text, rate=2.5, eta_s=1344, earlier=[meaning])
    assert line.startswith("meaning 3,400/3,400 · Text in photos: 40 of 3,400 photos · "
                           "2.5 photos/s · about 22 min 24 s left")
    assert line.endswith("2 failed")


def test_the_presenter_keeps_finished_passes_on_show(qtbot, window, fake_library):  # type: ignore[no-untyped-def]
    presenter = window.index_presenter
    meaning = SimpleNamespace(phase="embedding", done=6, total=6, failed=0, reused=0,
                              pass_name="meaning", title="meaning")
    colour = SimpleNamespace(phase="analysing", done=1, total=6, failed=0, reused=0,
                             pass_name="colour", title="average colour")
    shown: list[str] = []
    presenter.progress_changed.connect(lambda _p, text: shown.append(text))
    presenter._on_progress(meaning)
    presenter._on_progress(colour)
    assert shown[-1].startswith("meaning 6/6 · Average colour: 1 of 6 photos")
