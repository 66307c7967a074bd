"""The engine's messages in other languages (engine/i18n.py): every message marked ``_()`` is
translated into each language with the same placeholders, no user message is left unmarked,
and real errors and failure reasons come out in the language set; English stays the default."""

from __future__ import annotations

import ast
import string
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from engine import i18n
from engine.api import Library, message_language, set_message_language
from engine.errors import EngineError, ModelUnavailableError, PhotoReadError
from engine.media import imaging
from tests.module_files import load_module

ROOT = Path(__file__).resolve().parents[2]
ENGINE = ROOT / "engine"
# The errors whose first argument is the user message (EngineError and its kinds).
ERROR_CLASSES = {
    "EngineError", "ModelUnavailableError", "InvalidModelSpecError", "LibraryLockedError",
    "InvalidQueryError", "PhotoReadError", "DatasetError", "ClusterError", "VectorStoreError",
    "TrashError",
}


BUILD = load_module(ROOT / "resources" / "translations" / "build.py",
                    "photosearch_translations_build")


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogs() -> None:
    """The .mo files, as `make translations` builds them (a no-op when they are fresh)."""
    BUILD.build_catalogs()


@pytest.fixture
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    """The engine's messages in ``request.param``; English again afterwards."""
    assert set_message_language(request.param) == request.param
    yield request.param
    set_message_language("en")


def _fields(text: str) -> list[str]:
    return sorted(f"{name}!{conv}:{spec}" for _, name, spec, conv
                  in string.Formatter().parse(text) if name is not None)


# -- catalogs ----------------------------------------------------------------------------------

@pytest.mark.parametrize("code", i18n.LANGUAGES)
def test_every_engine_message_is_translated_with_its_placeholders(code: str) -> None:
    template = BUILD.extract_engine_messages()
    ids = [m.id for m in template if m.id]
    assert len(ids) > 100  # the extraction found the engine's messages
    with BUILD.po_file(code).open("rb") as fp:
        catalog = read_po(fp, locale=code)
    problems = []
    for msgid in ids:
        entry = catalog.get(msgid)
        if entry is None or not entry.string:
            problems.append(f"untranslated: {msgid!r}")
        elif entry.fuzzy:
            problems.append(f"fuzzy: {msgid!r}")
        elif _fields(entry.string) != _fields(msgid):
            problems.append(f"placeholders differ: {msgid!r} -> {entry.string!r}")
        else:  # and it formats: no stray brace
            names = {f.split("!")[0] for f in _fields(msgid)}
            entry.string.format(**dict.fromkeys(names, "x"))
    assert problems == [], (
        "run `python resources/translations/build.py --update`, then translate:\n"
        + "\n".join(problems))


def _engine_trees() -> Iterator[tuple[Path, ast.AST]]:
    for path in sorted(ENGINE.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"))


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else None


def test_translated_messages_are_literals_formatted_after_translation() -> None:
    """``_(f"...")`` or ``_("a" + b)`` would look up a message no catalog holds."""
    wrong = []
    for path, tree in _engine_trees():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _name(node.func) in ("_", "N_") and node.args:
                arg = node.args[0]
                literal = isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                if not literal and not isinstance(arg, ast.Name):  # a Name: an N_ constant
                    wrong.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert wrong == []


def test_no_user_message_is_left_unmarked() -> None:
    """An error raised with a plain or f-string message would reach the user in English."""
    unmarked = []
    for path, tree in _engine_trees():
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and _name(node.func) in ERROR_CLASSES
                    and node.args):
                continue
            parts = [node.args[0]]
            while parts:
                part = parts.pop()
                if isinstance(part, ast.BinOp):
                    parts += [part.left, part.right]
                elif isinstance(part, ast.JoinedStr):
                    parts += part.values  # its literal parts; the values are translated apart
                elif isinstance(part, ast.Constant) and any(
                        c.isalpha() for c in str(part.value)):  # words, not a joining space
                    unmarked.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert unmarked == []


# -- the language in use -----------------------------------------------------------------------

def test_english_is_the_default_and_locales_map_to_catalogs(
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert message_language() == "en"
    assert i18n.supported_language("zh_TW.UTF-8") == "zh_CN"
    assert i18n.supported_language("es_MX") == "es"
    assert i18n.supported_language("ja_JP.UTF-8") == "ja"
    assert i18n.supported_language("C") == "en"
    assert i18n.supported_language("fr_FR") == "en"
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    assert i18n.system_language() == "ja"
    monkeypatch.setenv("LC_ALL", "es_ES.UTF-8")  # LC_ALL wins over LANG, as for gettext
    assert i18n.system_language() == "es"
    monkeypatch.setenv("LANGUAGE", "zh_CN:en")
    try:
        assert set_message_language(None) == "zh_CN"
        assert message_language() == "zh_CN"
    finally:
        set_message_language("en")


def test_a_missing_catalog_leaves_english(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(i18n, "locale_dir", lambda: tmp_path)
    assert set_message_language("ja") == "en"
    assert i18n._("permission denied") == "permission denied"


# -- real errors -------------------------------------------------------------------------------

def _missing_folder_message(tmp_path: Path) -> str:
    with Library.open(home=tmp_path / "lib", model="demo") as lib, \
            pytest.raises(EngineError) as caught:
        lib.add_folder(tmp_path / "nowhere")
    return caught.value.user_message


def test_errors_are_english_by_default(tmp_path: Path) -> None:
    message = _missing_folder_message(tmp_path)
    assert message == f"The folder {tmp_path / 'nowhere'} does not exist or is not a folder."


@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
def test_a_missing_folder_is_reported_in_chinese(language: str, tmp_path: Path) -> None:
    message = _missing_folder_message(tmp_path)
    assert message == f"文件夹 {tmp_path / 'nowhere'} 不存在，或者不是文件夹。"


@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
def test_a_missing_local_model_is_reported_in_chinese(language: str, tmp_path: Path) -> None:
    folder = tmp_path / "no-model"
    with Library.open(home=tmp_path / "lib", model=f"local-dir:{folder}") as lib, \
            pytest.raises(ModelUnavailableError) as caught:
        lib.search("beach")
    assert caught.value.reason == ModelUnavailableError.FOLDER
    assert caught.value.user_message == (
        f"模型文件夹 {tmp_path / 'no-model'} 不存在。"
        " 请选择包含 open_clip_config.json 和权重文件的文件夹。")


@pytest.mark.parametrize("language", ["es", "ja"], indirect=True)
def test_a_photos_failure_reason_is_in_the_language(language: str, tmp_path: Path) -> None:
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    with pytest.raises(PhotoReadError) as caught:
        imaging.decode_photo(empty, 224)
    expected = {"es": "el archivo está vacío (0 bytes)", "ja": "ファイルが空です（0 バイト）"}
    assert caught.value.user_message == expected[language]


def test_make_translations_compiles_the_catalogs_from_their_sources(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fresh clone has only the .po files: the build writes the .mo files gettext reads."""
    import shutil

    locale = tmp_path / "locale"
    for code in i18n.LANGUAGES:
        (locale / code / "LC_MESSAGES").mkdir(parents=True)
        shutil.copy(BUILD.po_file(code), locale / code / "LC_MESSAGES" / "photosearch.po")
    monkeypatch.setattr(BUILD, "LOCALE", locale)
    built = BUILD.build_catalogs()
    assert sorted(p.relative_to(locale).as_posix() for p in built) == [
        f"{code}/LC_MESSAGES/photosearch.mo" for code in sorted(i18n.LANGUAGES)]
    monkeypatch.setattr(i18n, "locale_dir", lambda: locale)
    try:
        assert set_message_language("es") == "es"
        assert i18n._("permission denied") == "permiso denegado"
    finally:
        set_message_language("en")
