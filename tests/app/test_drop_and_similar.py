"""Drag and drop onto the window (file URLs, image data), paste, and "Find similar"."""

from __future__ import annotations

from pathlib import Path

from conftest import send_drop
from PySide6.QtCore import QByteArray, QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QGuiApplication, QImage
from PySide6.QtWidgets import QApplication

from app.presenters.search_presenter import SearchState


def _red_image() -> QImage:
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.red)
    return image


def test_dropping_a_photo_file_finds_similar_photos(qtbot, window, fake_library):  # type: ignore[no-untyped-def]
    photo = fake_library.holiday / "blue_circle_02.jpg"
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(photo))])
    drop = send_drop(window, mime)
    assert drop.isAccepted()
    qtbot.waitUntil(lambda: window.search_presenter.state == SearchState.RESULTS, timeout=3000)
    (args,) = fake_library.calls_named("similar")
    assert args[0] == photo
    assert window.results_model.hit(0).path.name.startswith("blue")
    assert window.similar_bar.isVisible()
    assert "blue_circle_02.jpg" in window.similar_bar.text.text()


def test_dropping_image_data_from_a_browser_finds_similar_photos(qtbot, window, fake_library):  # type: ignore[no-untyped-def]
    mime = QMimeData()
    mime.setImageData(_red_image())
    mime.setUrls([QUrl("https://example.com/pictures/red-thing.png")])  # remote: not a file
    send_drop(window, mime)
    qtbot.waitUntil(lambda: window.search_presenter.state == SearchState.RESULTS, timeout=3000)
    (args,) = fake_library.calls_named("similar")
    assert isinstance(args[0], bytes) and args[0][:8] == b"\x89PNG\r\n\x1a\n"
    assert window.results_model.hit(0).path.name.startswith("red")
    assert "red-thing.png" in window.similar_bar.text.text()


def test_dropping_encoded_png_bytes_passes_them_through(qtbot, window, fake_library):  # type: ignore[no-untyped-def]
    data = QByteArray()
    from PySide6.QtCore import QBuffer, QIODevice

    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    _red_image().save(buffer, "PNG")
    mime = QMimeData()
    mime.setData("image/png", data)
    send_drop(window, mime)
    qtbot.waitUntil(lambda: len(fake_library.calls_named("similar")) == 1, timeout=3000)
    assert fake_library.calls_named("similar")[0][0] == bytes(data.data())


def test_dragging_text_over_the_window_is_refused(qtbot, window):  # type: ignore[no-untyped-def]
    mime = QMimeData()
    mime.setText("just words")
    enter = QDragEnterEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, enter)
    assert not enter.isAccepted()


def test_ctrl_v_with_an_image_on_the_clipboard_finds_similar(qtbot, window, fake_library):  # type: ignore[no-untyped-def]
    QGuiApplication.clipboard().setImage(_red_image())
    window.search_bar.search_box.setFocus()
    qtbot.keyClick(window.search_bar.search_box, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(fake_library.calls_named("similar")) == 1, timeout=3000)
    assert isinstance(fake_library.calls_named("similar")[0][0], bytes)
    assert window.search_bar.search_box.text() == ""


def test_find_similar_from_the_context_menu(qtbot, window, fake_library):  # type: ignore[no-untyped-def]
    window.search_bar.search_box.setText("green")
    qtbot.waitUntil(lambda: window.results_model.rowCount() > 0, timeout=3000)
    hit = window.results_model.hit(0)
    menu = window.results_view.context_menu(hit)
    action = next(a for a in menu.actions() if a.text() == "Find similar")
    action.trigger()
    qtbot.waitUntil(lambda: len(fake_library.calls_named("similar")) == 1, timeout=3000)
    assert fake_library.calls_named("similar")[0][0] == hit.path
    assert window.search_bar.search_box.text() == ""
    # Esc goes back to an empty search.
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not window.similar_bar.isVisible()
    assert window.search_presenter.similar is None


def test_results_drag_out_as_file_urls(qtbot, window):  # type: ignore[no-untyped-def]
    window.search_bar.search_box.setText("red")
    qtbot.waitUntil(lambda: window.results_model.rowCount() > 1, timeout=3000)
    model = window.results_model
    mime = model.mimeData([model.index(0, 0), model.index(1, 0)])
    paths = [Path(u.toLocalFile()) for u in mime.urls()]
    assert paths == [model.hit(0).path, model.hit(1).path]
    assert all(u.isLocalFile() for u in mime.urls())
    assert model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsDragEnabled
