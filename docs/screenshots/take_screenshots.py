"""Take the app's screenshots in docs/screenshots/ with the demo model and demo photos.

    apt-get install -y xvfb openbox    # openbox: window frames and titles, like a desktop
    xvfb-run -s "-screen 0 1400x900x24" sh -c \
        "openbox & sleep 1; .venv/bin/python docs/screenshots/take_screenshots.py"

Each state is set up through the real engine (a fresh temporary library) and the real window,
then the screen is grabbed (so dialogs appear over the window as a user sees them) and cropped
to the window.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QMimeData, QPointF, QRect, Qt, QUrl  # noqa: E402
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QGuiApplication, QPalette  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from app.main import create_application  # noqa: E402
from app.windows.main_window import MainWindow  # noqa: E402
from engine.api import Library  # noqa: E402
from engine.evaluation.demo_data import DemoSplits, write_demo_dataset  # noqa: E402

QUERY = "three blue squares on a wooden table"


def wait_until(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    """Run the event loop until ``condition()`` holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not reach the expected state")
        QApplication.processEvents()
        time.sleep(0.01)


def settle(seconds: float = 0.4) -> None:
    """Let thumbnails and previews arrive and the screen repaint."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.01)


def grab(window: QWidget, name: str) -> None:
    """Save the screen area of ``window`` (with any dialog over it) as ``name``.png."""
    settle()
    screen = QGuiApplication.primaryScreen()
    frame: QRect = window.frameGeometry()
    pixmap = screen.grabWindow(0, frame.x(), frame.y(), frame.width(), frame.height())
    if pixmap.isNull() or pixmap.width() < 10:
        pixmap = window.grab()
    path = OUT / f"{name}.png"
    pixmap.save(str(path))
    print(f"wrote {path.relative_to(ROOT)} ({pixmap.width()}x{pixmap.height()})", flush=True)


def open_window(library: Library) -> MainWindow:
    """The main window over ``library``, shown and started (the model begins to load)."""
    window = MainWindow(library)
    window.actions.open_file = lambda path: True  # never launch other programs
    window.actions.reveal = lambda path: True
    window.move(40, 30)
    window.show()
    window.start()
    return window


def new_window(library: Library) -> MainWindow:
    """:func:`open_window`, once its model is ready and its folders are indexed."""
    window = open_window(library)
    wait_until(lambda: window.model_presenter.state == "ready")
    wait_until(lambda: bool(window.library_presenter.folders) or window.library_presenter.first_run)
    wait_until(lambda: not window.index_presenter.running)
    return window


def search(window: MainWindow, text: str) -> None:
    window.activateWindow()
    window.search_bar.search_box.setFocus()
    window.search_bar.search_box.setText(text)
    wait_until(lambda: window.search_presenter.state == "results")
    window.results_view.setCurrentIndex(window.results_model.index(0, 0))
    wait_until(lambda: not window.preview_pane.image.image.isNull())


def close(window: MainWindow) -> None:
    window.shutdown()
    window.close()
    settle(0.1)


def dark_palette() -> QPalette:
    """What a dark system theme gives Qt (Fusion's dark colours)."""
    p = QPalette()
    colours = {
        QPalette.ColorRole.Window: "#2b2b2e",
        QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#1f1f22",
        QPalette.ColorRole.AlternateBase: "#2b2b2e",
        QPalette.ColorRole.Text: "#e6e6e6",
        QPalette.ColorRole.Button: "#35353a",
        QPalette.ColorRole.ButtonText: "#e6e6e6",
        QPalette.ColorRole.Highlight: "#3d7be0",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: "#35353a",
        QPalette.ColorRole.ToolTipText: "#e6e6e6",
        QPalette.ColorRole.PlaceholderText: "#8a8a8f",
        QPalette.ColorRole.Mid: "#55555b",
        QPalette.ColorRole.Light: "#505057",
        QPalette.ColorRole.Dark: "#1a1a1c",
        QPalette.ColorRole.Midlight: "#434349",
        QPalette.ColorRole.Shadow: "#000000",
        QPalette.ColorRole.Link: "#6ea1ff",
    }
    for role, colour in colours.items():
        p.setColor(role, QColor(colour))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor("#77777c"))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor("#77777c"))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText, QColor("#77777c"))
    return p


def main() -> None:
    app = create_application()
    app.setStyle("Fusion")
    tmp = Path(tempfile.mkdtemp(prefix="photosearch-shots-"))
    write_demo_dataset(tmp / "demo", DemoSplits(train=0, val=400, test=160, compositional=40))

    # 1. First run: an empty library.
    empty = Library.open(home=tmp / "empty-home", model="demo")
    window = new_window(empty)
    grab(window, "first-run")
    close(window)

    # 2. Results grid with the preview pane.
    library = Library.open(home=tmp / "home")  # as a user would: the model is a setting
    library.update_settings(model="demo")
    library.add_folder(tmp / "demo" / "test")
    library.load_model().result()
    library.index().result()
    window = new_window(library)
    # The demo set holds one photo per scene, so "Best matches only" would keep just the one or
    # two that match; show the ranked grid around it instead.
    window.search_bar.cut_off_check.setChecked(False)
    search(window, QUERY)
    captions = window.preview_pane.captions
    wait_until(lambda: "(vocabulary," in captions.describe_label.text())
    grab(window, "results")

    # 2b. Two-stage search: the demo matcher refines the order; the preview's captions.
    library.update_settings(rerank=True)
    library.add_folder(tmp / "demo" / "compositional")  # pair scenes with swapped twins
    library.index().result()
    window.library_presenter.refresh()
    dataset = json.loads((tmp / "demo" / "dataset.json").read_text())
    pair = next(im for im in dataset["images"] if im["split"] == "compositional"
                and " left of " in im["sentences"][0]["raw"])
    window.search_bar.search_box.setText(pair["sentences"][0]["raw"])
    wait_until(lambda: "refined in" in window.status_line.search_label.text())
    window.results_view.setCurrentIndex(window.results_model.index(0, 0))
    wait_until(lambda: not window.preview_pane.image.image.isNull())
    library.set_caption(window.results_model.hit(0).photo_id, "Our stand at the Sunday market")
    captions.refresh()
    described = captions.describe_label
    wait_until(lambda: bool(captions.edit.text()) and "(vocabulary," in described.text())
    grab(window, "refined")
    library.update_settings(rerank=False)

    # 3. Drag and drop: a photo from the file manager onto the window.
    photo = next(h.path for h in window.results_model.hits()[3:])
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(photo))])
    pos = QPointF(600, 400)
    args = (
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, QDragEnterEvent(pos, *args))
    QApplication.sendEvent(window, QDropEvent(pos, *args))
    wait_until(
        lambda: (
            window.search_presenter.similar is not None
            and window.search_presenter.state == "results"
        )
    )
    window.results_view.setCurrentIndex(window.results_model.index(0, 0))
    wait_until(lambda: not window.preview_pane.image.image.isNull())
    grab(window, "similar")

    # 4. Settings.
    dialog = window.open_settings()
    dialog.exclude_edit.setPlainText("*/.thumbnails/*\n*.psd")
    grab(window, "settings")
    dialog.reject()

    # 5. An error: adding a folder that does not exist.
    window.ask_folder = lambda: Path("/media/usb-drive/Photos 2019")
    window.folders_panel.add_button.click()
    wait_until(lambda: window.reporter.last_dialog is not None)
    grab(window, "error-dialog")
    window.reporter.last_dialog.reject()

    # 6. Indexing progress: a second folder of photos (caught mid-run).
    window.ask_folder = lambda: tmp / "demo" / "val"
    window.folders_panel.add_button.click()
    wait_until(lambda: "photos/s" in window.index_panel.label.text(), timeout=120)
    grab(window, "indexing")
    wait_until(lambda: not window.index_presenter.running, timeout=120)

    # 7. The same window on a dark system theme.
    app.setPalette(dark_palette())
    window.search_bar.search_box.clear()
    search(window, "two orange stars against a night sky")
    grab(window, "results-dark")
    close(window)
    library.close()

    # 8. A missing model: explained, with the next step, while folders still work.
    app.setPalette(app.style().standardPalette())
    missing = Library.open(home=tmp / "missing-home", model="local-dir:/opt/models/clip-large")
    missing.add_folder(tmp / "demo" / "test")
    window = open_window(missing)
    wait_until(lambda: window.model_presenter.state == "unavailable", timeout=120)
    wait_until(lambda: bool(window.library_presenter.folders))
    window.search_bar.search_box.setText("beach at sunset")
    window.search_presenter.search_now()
    grab(window, "missing-model")
    close(window)
    missing.close()
    empty.close()

    # 9. First run of a downloadable model: the progress bar and Cancel (a local stand-in for
    # the Hugging Face Hub serves the demo model slowly).
    import importlib.util

    import pytest

    spec = importlib.util.spec_from_file_location("fake_hub", ROOT / "tests/engine/fake_hub.py")
    assert spec is not None and spec.loader is not None
    fake_hub = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fake_hub)
    with pytest.MonkeyPatch.context() as mp, fake_hub.fake_hub(
            ROOT / "resources/models/demo-clip", tmp / "hf", mp) as hub:
        hub.delay_s = 0.05
        fresh = Library.open(home=tmp / "download-home", model="hf-hub:laion/CLIP-ViT-B-32-demo")
        fresh.add_folder(tmp / "demo" / "test")
        window = open_window(fresh)
        wait_until(lambda: window.model_banner.progress_bar.value() >= 30, timeout=120)
        grab(window, "downloading")
        window.model_banner.cancel_button.click()
        wait_until(lambda: window.model_presenter.state == "cancelled")
        close(window)
        fresh.close()


if __name__ == "__main__":
    main()
