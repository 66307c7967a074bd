"""FTS5 tokenisation for text read from photos: words, CJK substrings, the trigram option."""

from __future__ import annotations

import sqlite3

import pytest

from engine.analyses.text import (
    SCHEMA,
    TextResult,
    cjk_bigrams,
    match_expression,
    reading_order,
    remove_text,
    search_text,
    store_text,
)
from engine.models.ocr import TextLine

BOX = ((0.0, 0.0), (10.0, 0.0), (10.0, 5.0), (0.0, 5.0))


def result(*texts: str) -> TextResult:
    return TextResult(tuple(TextLine(t, BOX, 0.9) for t in texts))


def store(db: sqlite3.Connection, key: str, found: TextResult) -> None:
    store_text(db, key, found, "test")


@pytest.fixture()
def conn() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.executescript(SCHEMA[0])
    store(db, "invoice", result("增值税发票", "No 4471"))
    store(db, "wifi", result("WiFi password: hunter2"))
    store(db, "bank", result("中国银行 Bank of China"))
    store(db, "cafe", result("Café Central"))
    store(db, "empty", result())
    return db


def test_trigram_tokenizer_exists_and_its_limits() -> None:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(text, tokenize='trigram')")
    db.execute("INSERT INTO t VALUES ('增值税发票')")
    assert db.execute("SELECT count(*) FROM t WHERE t MATCH '增值税'").fetchone()[0] == 1
    # A two-character query has no trigram: MATCH finds nothing (why we index bigrams).
    assert db.execute("SELECT count(*) FROM t WHERE t MATCH '发票'").fetchone()[0] == 0


def test_unicode61_alone_does_not_find_chinese_substrings() -> None:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE w USING fts5(text, tokenize='unicode61')")
    db.execute("INSERT INTO w VALUES ('增值税发票')")
    assert db.execute("SELECT count(*) FROM w WHERE w MATCH '发票'").fetchone()[0] == 0


def test_cjk_bigrams() -> None:
    assert cjk_bigrams("增值税发票 No 4471") == "增值 值税 税发 发票"
    assert cjk_bigrams("出 exit 口") == "出 口"
    assert cjk_bigrams("hello") == ""
    assert cjk_bigrams("東京タワー") == "東京 京タ タワ ワー"


def test_match_expression() -> None:
    assert match_expression("wifi password") == ('words : "wifi password"', [])
    assert match_expression("wifi password", phrase=False) == (
        'words : "wifi" AND words : "password"', [])
    assert match_expression("发票") == ('grams : "发票"', [])
    assert match_expression("税 invoice") == ('words : "invoice"', ["税"])
    assert match_expression("?!") == (None, [])


@pytest.mark.parametrize(("query", "found"), [
    ("发票", ["invoice"]),
    ("增值税发票", ["invoice"]),
    ("值税发", ["invoice"]),
    ("银行", ["bank"]),
    ("票", ["invoice"]),
    ("4471", ["invoice"]),
    ("wifi password", ["wifi"]),
    ("WIFI", ["wifi"]),
    ("password wifi", []),  # a phrase: the words in order
    ("hunter2", ["wifi"]),
    ("cafe", ["cafe"]),  # diacritics removed
    ("bank 中国", ["bank"]),
    ("发票 bank", []),
    ("\"quoted\" OR NEAR", []),  # FTS syntax in a query is just words
])
def test_search_text(conn: sqlite3.Connection, query: str, found: list[str]) -> None:
    assert search_text(conn, query) == found


def test_store_replaces_and_remove_forgets(conn: sqlite3.Connection) -> None:
    store(conn, "invoice", result("receipt"))
    assert search_text(conn, "发票") == []
    assert search_text(conn, "receipt") == ["invoice"]
    remove_text(conn, "invoice")
    assert search_text(conn, "receipt") == []
    assert conn.execute("SELECT count(*) FROM photo_text_lines").fetchone()[0] == 3
    runs = conn.execute("SELECT content_hash, line_count FROM photo_text_runs ORDER BY 1")
    assert runs.fetchall() == [("bank", 1), ("cafe", 1), ("empty", 0), ("wifi", 1)]


def test_reading_order_joins_a_line_cut_in_two() -> None:
    def line(text: str, x: float, y: float, w: float = 100.0) -> TextLine:
        return TextLine(text, ((x, y), (x + w, y), (x + w, y + 40), (x, y + 40)), 0.9)

    # The right half sits 8 px higher (a turned sign); a second row below.
    lines = [line("password", 220, 92), line("wifi", 100, 100), line("below", 100, 200)]
    assert [ln.text for ln in reading_order(lines)] == ["wifi", "password", "below"]


def test_results_of_the_rapidocr_pipeline_are_read_again_and_stay_searchable_until_then(
        conn: sqlite3.Connection) -> None:
    """OCR moved from RapidOCR's code to our own pipeline: the analysis's version changed, so
    every photo is pending again (the seam re-reads it in the background), and the lines stored
    by the old version are still found meanwhile."""
    from pathlib import Path
    from typing import Any

    from engine.analyses.base import AnalysisContext
    from engine.analyses.text import TextAnalysis
    from engine.models import ocr

    none: Any = None
    version = TextAnalysis(AnalysisContext(none, none, Path("."))).version
    before = ("rapidocr 3.10.0: PP-OCRv6_det_small+PP-OCRv6_rec_small; gate 480, detect 1280; "
              "reader 2")
    assert version != before and ocr.PIPELINE in version and "PP-OCRv6_rec_small" in version
    store_text(conn, "sign", result("Harbour Street"), before)
    assert search_text(conn, "harbour street") == ["sign"]
