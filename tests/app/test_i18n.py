"""The app in other languages: complete translations, nothing left in English, locale formats,
the Language setting, Chinese typed through an input method, and the main flows in Chinese."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from conftest import ROOT, make_window
from PySide6.QtCore import QLocale
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QSpinBox,
    QTableWidget,
    QWidget,
)

from app import formatting, i18n
from app.i18n import translate
from app.presenters.search_presenter import SearchState
from engine.api import model_choices
from tests.module_files import load_module

TRANSLATIONS = ROOT / "resources" / "translations"
FULL_LANGUAGES = ("zh_CN", "es", "ja")
# How many plural forms Qt expects for each language (Chinese and Japanese have one).
PLURAL_FORMS = {"en": 2, "es": 2, "zh_CN": 1, "ja": 1}
PLACEHOLDER = re.compile(r"%L?n|%\d")


def _messages(ts: Path) -> list[tuple[str, ET.Element]]:
    root = ET.parse(ts).getroot()
    return [(context.findtext("name") or "", message)
            for context in root.iter("context") for message in context.iter("message")]


def _source_keys(ts: Path) -> set[tuple[str, str, str]]:
    return {(context, m.findtext("source") or "", m.findtext("comment") or "")
            for context, m in _messages(ts)}


@pytest.mark.parametrize("language", ["en", *FULL_LANGUAGES])
def test_every_string_is_translated_with_its_placeholders(language: str) -> None:
    ts = TRANSLATIONS / f"photosearch_{language}.ts"
    messages = _messages(ts)
    assert messages
    problems = []
    for context, message in messages:
        source = message.findtext("source") or ""
        translation = message.find("translation")
        assert translation is not None
        if translation.get("type") in ("unfinished", "vanished", "obsolete"):
            problems.append(f"{context}: {source!r} is {translation.get('type')}")
            continue
        if message.get("numerus") == "yes":
            forms = [f.text or "" for f in translation.iter("numerusform")]
            if len(forms) != PLURAL_FORMS[language]:
                problems.append(f"{context}: {source!r} has {len(forms)} plural forms")
        else:
            forms = [translation.text or ""]
        for form in forms:
            if not form.strip() and source.strip():
                problems.append(f"{context}: {source!r} has an empty translation")
            elif sorted(set(PLACEHOLDER.findall(form))) != sorted(
                    set(PLACEHOLDER.findall(source))):
                problems.append(f"{context}: {source!r} -> {form!r} changes the placeholders")
    assert problems == []


def test_the_english_file_holds_exactly_the_plural_strings() -> None:
    english = _messages(TRANSLATIONS / "photosearch_en.ts")
    plural_sources = {(c, m.findtext("source")) for c, m in _messages(
        TRANSLATIONS / "photosearch_zh_CN.ts") if m.get("numerus") == "yes"}
    assert {(c, m.findtext("source")) for c, m in english} == plural_sources


def test_the_committed_ts_files_hold_every_string_of_the_app(tmp_path: Path) -> None:
    """lupdate over app/ finds no string the .ts files lack (and none they have is gone)."""
    build = load_module(TRANSLATIONS / "build.py", "translations_build")
    for language in FULL_LANGUAGES:
        committed = TRANSLATIONS / f"photosearch_{language}.ts"
        fresh = tmp_path / committed.name
        shutil.copy(committed, fresh)
        build.lupdate(build.app_sources(), fresh)
        assert _source_keys(fresh) == _source_keys(committed), (
            "run `make translations-update` and translate the new strings")
        unfinished = [m.findtext("source") for _, m in _messages(fresh)
                      if (m.find("translation") is not None
                          and m.find("translation").get("type") == "unfinished")]
        assert unfinished == []


def test_lrelease_compiles_every_translation(tmp_path: Path) -> None:
    build = load_module(TRANSLATIONS / "build.py", "translations_build")
    lrelease = subprocess.run(
        [str(build.qt_tool("lrelease")), str(
            TRANSLATIONS / "photosearch_zh_CN.ts"), "-qm", str(tmp_path / "zh.qm")],
        capture_output=True, text=True, check=True)
    assert "0 unfinished" in lrelease.stdout and (tmp_path / "zh.qm").stat().st_size > 1000


# -- nothing left in English ---------------------------------------------------------------------

# Words that stay as they are in every language: the product's name, units, keys, technical
# names the user types, language names, and the example queries (the models understand English).
ALLOWED = [
    "PhotoSearch", "open_clip_config.json", "open_clip", "ARCH/PRETRAINED", "hf-hub:ORG/REPO",
    "local-dir:", "Salesforce/blip-itm-base-coco", "blip-itm-base-coco", "Hugging Face",
    "huggingface.co", "BLIP", "PyTorch", "PHOTOSEARCH_MODEL", "--model", ".safetensors",
    "*/.thumbnails/*", "*.psd", "ViT-B-32/laion2b_s34b_b79k", "demo", "Ctrl+Shift+P", "Ctrl+V",
    "Ctrl", "Shift", "Esc", "GPS", "CPU", "GPU", "English", "Español", "TB", "GB", "MB", "KB",
    i18n.EXAMPLE_QUERY, "a dog on the beach at sunset", "AM", "PM",
    "https://huggingface.co", "https://hf-mirror.com", "Crossmodal-3600",
    "ONNX Runtime", "ONNX", "PHOTOSEARCH_RUNTIME",  # the runtimes' product names, the variable
    *(choice.spec for choice in model_choices()),  # model names, typed as they are
]
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")


def _texts(widget: QWidget) -> list[str]:
    """Every string a person can see on ``widget`` and its children (shown or not yet)."""
    texts = []
    for w in [widget, *widget.findChildren(QWidget)]:
        texts += [w.toolTip(), w.windowTitle() if w.isWindow() else ""]
        if isinstance(w, QLabel | QAbstractButton):
            texts.append(w.text())
        if isinstance(w, QLineEdit):
            texts.append(w.placeholderText())
        if isinstance(w, QComboBox):
            texts += [w.itemText(i) for i in range(w.count())]
        if isinstance(w, QGroupBox):
            texts.append(w.title())
        if isinstance(w, QAbstractSpinBox):
            texts.append(w.specialValueText())
        if isinstance(w, QSpinBox):
            texts += [w.suffix()]
        if isinstance(w, QTableWidget):
            texts += [w.horizontalHeaderItem(i).text() for i in range(w.columnCount())
                      if w.horizontalHeaderItem(i) is not None]
        if isinstance(w, QMenu):
            texts += [a.text() for a in w.actions()] + [w.title()]
        for action in QWidget.actions(w):  # (the main window's .actions is its PhotoActions)
            texts += [action.text(), action.toolTip()]
    return [t for t in texts if t]


def _english_left(texts: list[str], dynamic: list[str]) -> list[str]:
    """The texts that still contain an English word once names and data are taken out."""
    left = []
    for text in texts:
        plain = re.sub(r"<[^>]+>", " ", text)
        for value in sorted([*dynamic, *ALLOWED], key=len, reverse=True):
            plain = plain.replace(value, " ")
        plain = re.sub(r"\S+\.(jpg|png|jpeg|log)\b", " ", plain)  # file names
        plain = re.sub(r"(/[\w.\-]+)+", " ", plain)  # paths
        if ENGLISH_WORD.search(plain):
            left.append(text)
    return left


# (Spanish is Latin script, so this check reads Chinese and Japanese; the .ts tests cover it.)
@pytest.mark.parametrize("ui_language", ["zh_CN", "ja"], indirect=True)
def test_the_window_and_its_dialogs_show_no_english(ui_language, qtbot, fake_library):  # type: ignore[no-untyped-def]
    from engine.api import DuplicateGroup, DuplicatePhoto, FailedPhoto

    window = make_window(qtbot, fake_library)
    qtbot.waitUntil(lambda: bool(window.library_presenter.folders), timeout=5000)
    qtbot.waitUntil(lambda: not window.index_presenter.running, timeout=5000)
    seen: list[QWidget] = [window]

    window.search_bar.search_box.setText("red circle")
    window.search_presenter.search_now()
    qtbot.waitUntil(lambda: window.search_presenter.state == SearchState.RESULTS, timeout=5000)
    window.results_view.setCurrentIndex(window.results_model.index(0, 0))
    qtbot.waitUntil(lambda: window.preview_pane.fields["Taken"].text() != "—", timeout=5000)
    window.search_bar.filters_button.click()
    hit = window.results_model.hit(0)
    # the photo's own captions and what describes it (their source names are the app's words)
    qtbot.waitUntil(lambda: translate("CaptionsBox", "vocabulary")
                    in window.preview_pane.captions.describe_label.text(), timeout=5000)
    seen.append(window.results_view.context_menu(hit))
    tooltip = window.results_model._tooltip(hit)

    seen.append(window.open_settings())
    from app.widgets.duplicates_dialog import DuplicatesDialog

    dialog = DuplicatesDialog(window.bridge, window)
    photo = DuplicatePhoto(1, hit.path, hit.path.parent, 1000, 64, 48, "2023-05-01 10:00:00",
                           "jpg")
    copy = DuplicatePhoto(2, hit.path.with_name("copy.jpg"), hit.path.parent, 900, 64, 48,
                          None, "jpg")
    dialog.set_groups([DuplicateGroup("exact", [photo, copy], "otherwise alike; the oldest file"),
                       DuplicateGroup("near", [photo, copy], "largest resolution (64×48)")])
    seen.append(dialog)
    from app.widgets.failures_dialog import FailuresDialog
    from app.widgets.people_view import PeopleView

    seen.append(FailuresDialog([FailedPhoto(hit.path, "broken")], window))
    people = PeopleView(window.bridge, fake_library, window, lambda exc: None)
    people._loaded([(SimpleNamespace(id=1, name=None, photo_count=3), None)])
    seen.append(people)
    window.reporter.report(RuntimeError("boom"))
    seen += window.reporter.dialogs
    window.index_panel.set_progress(
        SimpleNamespace(phase="embedding", total=40, done=12, failed=1),
        formatting.format_index_progress(SimpleNamespace(
            phase="embedding", done=12, total=40, failed=1, reused=3), rate=2.5, eta_s=80))

    # what comes from the library and the engine, not from the app: paths, names, the model's
    # own description, the test's query and error
    dynamic = [str(fake_library.photo_root), str(fake_library.home), window.model_presenter.text,
               hit.path.parent.name,  # the duplicates' folder, named from the library folder
               "Canon EOS 5D", "FUJIFILM X100V", "broken", "boom", "RuntimeError", "red circle",
               *(c.text for c in fake_library.photo_captions(hit.photo_id)),
               *(c.text for c in fake_library.describe(hit.path, k=10))]
    texts = [tooltip, window.statusBar().currentMessage()]
    for widget in seen:
        texts += _texts(widget)
    assert _english_left(texts, dynamic) == []
    # and the language really changed: the Settings title is not the English one
    assert window.settings_dialog.windowTitle() != "Settings"
    for widget in seen[1:]:
        widget.close()
    window.shutdown()


def test_the_walk_finds_english_left_in_place(qtbot) -> None:  # type: ignore[no-untyped-def]
    """The check above would catch a string that misses translate()."""
    i18n.install("zh_CN")
    try:
        label = QLabel("Some text nobody translated")
        qtbot.addWidget(label)
        assert _english_left(_texts(label), []) == ["Some text nobody translated"]
        label.setText(translate("SearchBar", "Best matches only"))
        assert _english_left(_texts(label), []) == []
    finally:
        i18n.install("en")


# -- formats, plurals, the language setting -----------------------------------------------------

def test_numbers_dates_and_plurals_follow_the_language() -> None:
    assert formatting.photos(1) == "1 photo"
    assert formatting.photos(3400) == "3,400 photos"
    assert formatting.format_taken_at("2023-05-01 10:00:00").startswith("5/1/2023")
    try:
        i18n.install("es")
        assert formatting.photos(1) == "1 foto"
        assert formatting.photos(34000) == "34.000 fotos"  # (Spanish groups from 5 digits)
        assert formatting.decimal(35.25, 1) in ("35,2", "35,3")
        assert formatting.format_taken_at("2023-05-01 10:00:00").startswith("1/5/2023")
        i18n.install("zh_CN")
        assert formatting.photos(2) == "2 张照片"
        assert formatting.format_taken_at("2023-05-01 10:00:00").startswith("2023/5/1")
        assert formatting.format_duration(75) == "1 分 15 秒"
        i18n.install("ja")
        assert formatting.photos(5) == "5 枚の写真"
    finally:
        i18n.install("en")
    assert formatting.format_duration(75) == "1 min 15 s"


def test_the_system_language_picks_the_closest_translation() -> None:
    assert i18n.language_for_locale(QLocale("zh_CN")) == "zh_CN"
    assert i18n.language_for_locale(QLocale("zh_TW")) == "zh_CN"
    assert i18n.language_for_locale(QLocale("es_MX")) == "es"
    assert i18n.language_for_locale(QLocale("ja_JP")) == "ja"
    assert i18n.language_for_locale(QLocale("de_DE")) == "en"


def test_the_language_chosen_in_settings_is_kept_and_used_at_the_next_start(
    qtbot, window
):  # type: ignore[no-untyped-def]
    assert i18n.preferred_language() == ""
    dialog = window.open_settings()
    combo = dialog.language_combo
    assert combo.currentData() == ""  # follows the system language
    assert {combo.itemData(i) for i in range(combo.count())} == {"", *i18n.LANGUAGES}
    combo.setCurrentIndex(combo.findData("zh_CN"))
    assert dialog.language_note.text()  # says when it applies
    dialog.accept()
    qtbot.waitUntil(lambda: i18n.preferred_language() == "zh_CN", timeout=3000)
    assert window.statusBar().currentMessage() == translate(
        "MainWindow", "The new language applies when PhotoSearch starts again.")
    try:
        # what the next start does: install() without a language reads the choice
        assert i18n.install() == "zh_CN"
        assert translate("SearchBar", "Best matches only") == "只显示最佳匹配"
        assert QLocale().name() == "zh_CN"
    finally:
        i18n.set_preferred_language("")
        i18n.install("en")
    assert i18n.preferred_language() == ""


def test_the_demo_notice_says_why_and_what_next_in_the_language(qtbot) -> None:  # type: ignore[no-untyped-def]
    from app.demo_fallback import demo_notice

    english = demo_notice("ViT-B-32/laion2b_s34b_b79k", "no network.", Path("/tmp/demo"))
    assert "no network." in english and i18n.EXAMPLE_QUERY in english
    assert "connect to the internet" in english
    try:
        i18n.install("zh_CN")
        chinese = demo_notice("ViT-B-32/laion2b_s34b_b79k", "no network.", Path("/tmp/demo"))
        assert "连接互联网" in chinese and i18n.EXAMPLE_QUERY in chinese
    finally:
        i18n.install("en")


# -- flows in English and in Chinese ------------------------------------------------------------

@pytest.mark.parametrize("ui_language", ["en", "zh_CN"], indirect=True)
def test_chinese_typed_through_an_input_method_is_searched(ui_language, qtbot, window,
                                                           fake_library):  # type: ignore[no-untyped-def]
    box = window.search_bar.search_box
    box.setFocus()
    preedit = QInputMethodEvent("hai tan", [])  # composing: nothing committed yet
    from PySide6.QtWidgets import QApplication

    QApplication.sendEvent(box, preedit)
    assert box.text() == ""
    commit = QInputMethodEvent()
    commit.setCommitString("海滩")
    QApplication.sendEvent(box, commit)
    assert box.text() == "海滩"
    qtbot.waitUntil(lambda: any(str(getattr(call[0], "raw", call[0])) == "海滩"
                                for call in fake_library.calls_named("search")), timeout=3000)
    qtbot.waitUntil(lambda: window.search_presenter.state in (SearchState.RESULTS,
                                                            SearchState.EMPTY), timeout=3000)
    assert window.search_presenter.text == "海滩"


@pytest.mark.parametrize("ui_language", ["en", "zh_CN"], indirect=True)
def test_search_results_and_status_in_the_language(ui_language, qtbot, window, fake_library):  # type: ignore[no-untyped-def]
    window.search_bar.search_box.setText("red circle")
    window.search_presenter.search_now()
    qtbot.waitUntil(lambda: window.search_presenter.state == SearchState.RESULTS, timeout=3000)
    count = window.results_model.rowCount()
    assert count > 0
    expected = translate("SearchPresenter", "%Ln photo(s) for “%1”", "", count).replace(
        "%1", "red circle")
    assert window.status_line.search_label.text().startswith(expected)
    assert window.status_line.library_label.text().startswith(
        formatting.photos(fake_library.status().photos))
    if ui_language == "zh_CN":
        assert "张照片" in expected
    else:
        assert expected.startswith(f"{count} photos for")
    # no matches: the hint is in the language too
    fake_library.remove_folder(fake_library.holiday)
    fake_library.remove_folder(fake_library.garden)
    window.search_bar.search_box.setText("zzzz qqqq")
    window.search_presenter.search_now()
    qtbot.waitUntil(lambda: window.search_presenter.state == SearchState.EMPTY, timeout=3000)
    assert window.message_page.title.text() == translate("MainWindow", "No matches")
    assert window.message_page.text.text() == translate("SearchPresenter", "No photos match.") \
        + " " + translate("SearchPresenter", "Try to turn off “Best matches only”.")


@pytest.mark.parametrize("ui_language", ["en", "zh_CN"], indirect=True)
def test_first_run_and_indexing_in_the_language(ui_language, qtbot, empty_library):  # type: ignore[no-untyped-def]
    window = make_window(qtbot, empty_library)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.first_run_page, timeout=5000)
    assert window.first_run_page.add_button.text() == translate("FirstRunPage", "Add a folder…")
    window.ask_folder = lambda: empty_library.holiday
    window.add_folder()
    qtbot.waitUntil(lambda: bool(window.library_presenter.folders), timeout=5000)
    qtbot.waitUntil(lambda: not window.index_presenter.running, timeout=10000)
    summary = window.statusBar().currentMessage()
    assert summary.startswith(translate("formatting", "Indexed %Ln photo(s)", "", 3)[:4])
    window.shutdown()


def test_a_fresh_checkout_builds_its_translations_on_first_start(  # type: ignore[no-untyped-def]
        tmp_path: Path, monkeypatch) -> None:
    """No .qm yet (a clone that skipped make): install() compiles them from the .ts."""
    folder = tmp_path / "translations"
    folder.mkdir()
    for source in [TRANSLATIONS / "build.py", *TRANSLATIONS.glob("*.ts")]:
        shutil.copy(source, folder / source.name)
    monkeypatch.setattr(i18n, "translations_dir", lambda: folder)
    try:
        assert i18n.install("ja") == "ja"
        assert sorted(p.name for p in folder.glob("*.qm")) == [
            "photosearch_en.qm", "photosearch_es.qm", "photosearch_ja.qm", "photosearch_zh_CN.qm"]
        assert translate("SearchBar", "Newest first") == "新しい順"
    finally:
        i18n.install("en")


@pytest.mark.parametrize(("ui_language", "described_in"), [("en", None), ("zh_CN", "zh_CN")],
                         indirect=["ui_language"])
def test_photos_are_described_in_the_language(ui_language, described_in, qtbot, window,  # type: ignore[no-untyped-def]
                                              fake_library):
    """The caption vocabulary is prepared and a photo described in the UI's language."""
    box = window.preview_pane.captions
    qtbot.waitUntil(lambda: box.ready, timeout=3000)
    assert fake_library.calls_named("prepare_captions")[-1] == (described_in,)
    window.search_bar.search_box.setText("red circle")
    window.search_presenter.search_now()
    qtbot.waitUntil(lambda: window.search_presenter.state == SearchState.RESULTS, timeout=3000)
    window.results_view.setCurrentIndex(window.results_model.index(0, 0))
    qtbot.waitUntil(lambda: bool(fake_library.calls_named("describe")), timeout=3000)
    assert fake_library.calls_named("describe")[-1][-1] == described_in


@pytest.mark.parametrize("ui_language", ["en", "es", "zh_CN", "ja"], indirect=True)
def test_the_status_line_counts_videos_apart_from_photos(ui_language, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QStatusBar

    from app.windows.status_line import StatusLine
    from engine.api import LibraryStatus

    bar = QStatusBar()
    qtbot.addWidget(bar)
    line = StatusLine(bar)
    status = LibraryStatus(home=Path("/lib"), photos=123, indexed=120, pending=3, failed=0,
                           offline=0, model="demo", device="cpu", index_bytes=0, videos=3)
    line.set_library_status(status)
    text = line.library_label.text()
    assert text.startswith(f"{formatting.photos(120)} · {formatting.videos(3)} · ")
    expected = {"en": ("120 photos", "3 videos"), "es": ("120 fotos", "3 vídeos"),
                "zh_CN": ("120 张照片", "3 个视频"), "ja": ("120 枚の写真", "3 本の動画")}
    assert all(part in text for part in expected[ui_language]), text
    line.set_library_status(LibraryStatus(home=Path("/lib"), photos=5, indexed=5, pending=0,
                                          failed=0, offline=0, model="demo", device="cpu",
                                          index_bytes=0))
    assert formatting.videos(0) not in line.library_label.text()  # no videos: not shown
    assert line.library_label.text().startswith(formatting.photos(5))


@pytest.mark.parametrize("ui_language", ["en", "es", "zh_CN", "ja"], indirect=True)
def test_search_results_count_videos_apart(ui_language, qtbot, window, fake_library,  # type: ignore[no-untyped-def]
                                           monkeypatch) -> None:
    import dataclasses

    search = fake_library.search

    def with_videos(*args: Any, **kwargs: Any) -> list[Any]:  # the two best hits are videos
        hits = search(*args, **kwargs)
        return [dataclasses.replace(h, kind="video", duration_s=4.0, time_s=1.0)
                if n < 2 else h for n, h in enumerate(hits)]

    monkeypatch.setattr(fake_library, "search", with_videos)
    window.search_bar.search_box.setText("red circle")
    window.search_presenter.search_now()
    qtbot.waitUntil(lambda: window.search_presenter.state == SearchState.RESULTS, timeout=3000)
    count = window.results_model.rowCount()
    assert count > 2
    text = window.status_line.search_label.text()
    counted = formatting.photos_and_videos(count - 2, 2)
    assert formatting.photos(count - 2) in counted and formatting.videos(2) in counted
    assert text.startswith(translate("SearchPresenter", "%1 for “%2”").replace(
        "%1", counted).replace("%2", "red circle")), text
    expected = {"en": f"{count - 2} photos and 2 videos for “red circle”",
                "es": f"{count - 2} fotos y 2 vídeos para «red circle»",
                "zh_CN": f"“red circle”的搜索结果：{count - 2} 张照片和2 个视频",
                "ja": f"「red circle」の{count - 2} 枚の写真と2 本の動画"}
    assert text.startswith(expected[ui_language]), text
    assert formatting.photos_and_videos(0, 2) == formatting.videos(2)  # videos alone
    assert formatting.photos_and_videos(3, 0) == formatting.photos(3)
