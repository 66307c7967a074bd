"""The "text in photos" analysis (OCR): the words a photo shows, searchable.

A background analysis keyed by content hash: RapidOCR (:mod:`engine.models.ocr`) reads each
photo after the meaning pass, with a cheap gate so a photo without text costs little. One row
per analysed content in ``photo_text_runs`` (so "read, no text" and "too small to read" are
remembered, with the version that ran), one row per line in ``photo_text_lines`` (text, box,
confidence), and one row per photo with text in ``photo_text_fts``:

* column ``words``: the lines as written, tokenised by ``unicode61 remove_diacritics 2`` like
  captions and file names, so "wifi password" matches word for word and as a phrase;
* column ``grams``: every run of CJK characters cut into overlapping bigrams ("增值税发票" ->
  "增值 值税 税发 发票"). Chinese and Japanese have no spaces, so ``unicode61`` makes a whole
  run one token and "发票" would never match; FTS5's ``trigram`` tokenizer cannot find a
  two-character query at all (SQLite 3.40). A query's CJK run becomes the phrase of its own
  bigrams, which matches the run anywhere inside a longer one; a single CJK character falls
  back to ``LIKE`` over ``words`` (a scan).

The setting ``disabled_analyses`` containing ``"text"`` switches the pass off.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from engine.analyses.base import Analysis, AnalysisContext, Needs, PhotoInput
from engine.analyses.registry import register
from engine.models.ocr import MIN_SIDE, TextLine, TextReader, model_version
from engine.store.catalog import Catalog

IMAGE_SHORT_SIDE = 960  # a 4:3 photo at 1280 px on its long side (the reading's scale)

SCHEMA = ["""
CREATE TABLE IF NOT EXISTS photo_text_runs (
    id INTEGER PRIMARY KEY,
    content_hash TEXT NOT NULL UNIQUE,
    version TEXT NOT NULL,
    line_count INTEGER NOT NULL,
    note TEXT                   -- why nothing was read ("too small ..."), else NULL
);
CREATE TABLE IF NOT EXISTS photo_text_lines (
    run_id INTEGER NOT NULL REFERENCES photo_text_runs(id) ON DELETE CASCADE,
    line_no INTEGER NOT NULL,
    text TEXT NOT NULL,
    box TEXT NOT NULL,          -- JSON [[x, y] x 4], pixels of the photo as displayed
    confidence REAL NOT NULL,
    PRIMARY KEY (run_id, line_no)
) WITHOUT ROWID;
CREATE VIRTUAL TABLE IF NOT EXISTS photo_text_fts USING fts5(
    words, grams, tokenize = 'unicode61 remove_diacritics 2'
);
"""]

# CJK ideographs (with extension A and compatibility forms), kana, hangul syllables.
_CJK_RUN = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]+")
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class TextResult:
    """What the analysis found in one photo: lines in the *full* photo's pixels."""

    lines: tuple[TextLine, ...]
    note: str | None = None


@register
class TextAnalysis(Analysis):
    """Reads the text in photos."""

    name = "text"
    title = "text in photos"
    stage = "background"
    batch_size = 4

    def __init__(self, context: AnalysisContext) -> None:
        super().__init__(context)
        self.reader = TextReader()

    @property
    def version(self) -> str:
        r = self.reader
        # "reader 2": blob checks capped at the gate's size (a change re-reads every photo).
        return f"{model_version()}; gate {r.gate_side}, detect {r.detect_side}; reader 2"

    def needs(self) -> Needs:
        return Needs(image_side=IMAGE_SHORT_SIDE)

    def schema(self) -> list[str]:
        return SCHEMA

    def load(self) -> None:
        self.reader.load()  # ModelUnavailableError: the pass is skipped with the reason

    def prepare(self, photo: PhotoInput) -> Any:
        return photo

    def compute(self, prepared: Sequence[Any]) -> list[Any]:
        return [read_photo_text(self.reader, photo) for photo in prepared]

    def store(self, conn: sqlite3.Connection, photo_id: int, content_hash: str,
              result: Any) -> None:
        store_text(conn, content_hash, result, self.version)

    def result_tables(self) -> list[str]:
        return ["photo_text_runs"]

    def forget_orphans(self, conn: sqlite3.Connection) -> None:
        conn.execute("DELETE FROM photo_text_fts WHERE rowid IN (SELECT id FROM "
                     "photo_text_runs WHERE content_hash NOT IN (SELECT content_hash FROM "
                     "photos WHERE content_hash IS NOT NULL))")
        conn.execute("DELETE FROM photo_text_lines WHERE run_id IN (SELECT id FROM "
                     "photo_text_runs WHERE content_hash NOT IN (SELECT content_hash FROM "
                     "photos WHERE content_hash IS NOT NULL))")
        super().forget_orphans(conn)

    def clear_results(self, conn: sqlite3.Connection) -> None:
        conn.execute("DELETE FROM photo_text_fts")
        conn.execute("DELETE FROM photo_text_lines")
        super().clear_results(conn)


def read_photo_text(reader: TextReader, photo: PhotoInput) -> TextResult:
    """Read one decoded photo; boxes are scaled to the photo's full size."""
    image = photo.image
    if image is None:
        return TextResult((), "no pixels")
    if min(image.size) < MIN_SIDE:
        return TextResult((), f"too small to hold readable text ({image.width} x "
                              f"{image.height} px)")
    lines = reading_order(reader.read(image))
    meta = photo.metadata
    if meta is not None and meta.width and image.width and meta.width != image.width:
        scale = meta.width / image.width
        lines = [TextLine(ln.text, tuple((round(x * scale, 1), round(y * scale, 1))
                                         for x, y in ln.box),  # type: ignore[arg-type]
                          ln.confidence) for ln in lines]
    return TextResult(tuple(lines))


def reading_order(lines: Sequence[TextLine]) -> list[TextLine]:
    """Lines top to bottom, and left to right within a row: the detector may cut one line of
    a sign in two ("wifi" | "password hunter2", the second a little higher when the sign is
    turned), and a phrase search needs them in the order they are read."""
    def span(line: TextLine) -> tuple[float, float]:
        ys = [p[1] for p in line.box]
        return min(ys), max(ys)

    rows: list[list[TextLine]] = []
    for line in sorted(lines, key=lambda ln: sum(span(ln)) / 2):
        top, bottom = span(line)
        centre = (top + bottom) / 2
        for row in rows:
            r_top, r_bottom = span(row[0])
            if r_top <= centre <= r_bottom or top <= (r_top + r_bottom) / 2 <= bottom:
                row.append(line)
                break
        else:
            rows.append([line])
    return [ln for row in rows for ln in sorted(row, key=lambda ln: min(p[0] for p in ln.box))]


def cjk_bigrams(text: str) -> str:
    """The overlapping bigrams of every CJK run in ``text``, space separated (a run of one
    character is kept as it is)."""
    grams: list[str] = []
    for run in _CJK_RUN.findall(text):
        if len(run) == 1:
            grams.append(run)
        grams.extend(run[i:i + 2] for i in range(len(run) - 1))
    return " ".join(grams)


def store_text(conn: sqlite3.Connection, content_hash: str, result: TextResult,
               version: str) -> None:
    """Replace the stored result for ``content_hash`` (inside the writer's transaction)."""
    remove_text(conn, content_hash)
    cur = conn.execute(
        "INSERT INTO photo_text_runs(content_hash, version, line_count, note) VALUES (?,?,?,?)",
        (content_hash, version, len(result.lines), result.note))
    run_id = cur.lastrowid
    conn.executemany(
        "INSERT INTO photo_text_lines(run_id, line_no, text, box, confidence) "
        "VALUES (?,?,?,?,?)",
        [(run_id, i, line.text, json.dumps([list(p) for p in line.box]), line.confidence)
         for i, line in enumerate(result.lines)])
    if result.lines:
        words = "\n".join(line.text for line in result.lines)
        conn.execute("INSERT INTO photo_text_fts(rowid, words, grams) VALUES (?,?,?)",
                     (run_id, words, cjk_bigrams(words)))


def remove_text(conn: sqlite3.Connection, content_hash: str) -> None:
    """Forget the result for ``content_hash``."""
    row = conn.execute("SELECT id FROM photo_text_runs WHERE content_hash = ?",
                       (content_hash,)).fetchone()
    if row is not None:
        conn.execute("DELETE FROM photo_text_fts WHERE rowid = ?", (row[0],))
        conn.execute("DELETE FROM photo_text_lines WHERE run_id = ?", (row[0],))
        conn.execute("DELETE FROM photo_text_runs WHERE id = ?", (row[0],))


def stored_lines(catalog: Catalog, content_hash: str
                 ) -> tuple[list[TextLine], str | None] | None:
    """The lines stored for a content and the run's note (None: not read yet)."""
    rows = catalog._query("SELECT id, note FROM photo_text_runs WHERE content_hash = ?",
                          (content_hash,))
    if not rows:
        return None
    lines = [TextLine(r[0], tuple(tuple(p) for p in json.loads(r[1])),  # type: ignore[arg-type]
                      float(r[2])) for r in catalog._query(
        "SELECT text, box, confidence FROM photo_text_lines WHERE run_id = ? ORDER BY line_no",
        (rows[0][0],))]
    return lines, rows[0][1]


def text_match_ids(catalog: Catalog, query: str, phrase: bool = True,
                   limit: int = 200) -> list[int]:
    """Ids of readable photos whose text holds ``query`` (see :func:`search_text`), best
    match first."""
    clause = _match_clause(query, phrase)
    if clause is None:
        return []
    condition, args = clause
    rows = catalog._query(
        "SELECT p.id FROM (SELECT r.content_hash AS h FROM photo_text_runs r JOIN "
        f"photo_text_fts f ON f.rowid = r.id WHERE {condition} LIMIT ?) m "
        "JOIN photos p ON p.content_hash = m.h WHERE p.error IS NULL", (*args, limit))
    return list(dict.fromkeys(int(r[0]) for r in rows))


def _match_clause(query: str, phrase: bool) -> tuple[str, list[object]] | None:
    """The WHERE condition (with its ORDER BY) over ``photo_text_fts f`` that finds
    ``query``, and its arguments; None for a query with no words."""
    expression, singles = match_expression(query, phrase)
    if expression is None and not singles:
        return None
    where: list[str] = []
    args: list[object] = []
    if expression is not None:
        where.append("photo_text_fts MATCH ?")
        args.append(expression)
    for char in singles:
        where.append("f.words LIKE ?")
        args.append(f"%{char}%")
    order = " ORDER BY rank" if expression is not None else ""
    return " AND ".join(where) + order, args


def match_expression(query: str, phrase: bool = True) -> tuple[str | None, list[str]]:
    """An FTS5 MATCH expression for ``query`` (every part must match; the words as a phrase,
    or each word anywhere when not ``phrase``), and the single CJK characters that need a
    ``LIKE`` instead. (None, []) for a query with no words. User input never reaches FTS
    syntax: words are extracted with ``\\w+`` and quoted."""
    parts: list[str] = []
    singles: list[str] = []
    rest = query
    for run in _CJK_RUN.findall(query):
        rest = rest.replace(run, " ")
        if len(run) == 1:
            singles.append(run)
        else:
            parts.append('grams : "' + " ".join(run[i:i + 2] for i in range(len(run) - 1))
                         + '"')
    words = [w.lower() for w in _WORD.findall(rest)]
    if words and phrase:
        parts.append('words : "' + " ".join(words) + '"')
    elif words:
        parts.extend(f'words : "{w}"' for w in words)
    return (" AND ".join(parts) if parts else None), singles


def search_text(conn: sqlite3.Connection, query: str, limit: int = 200,
                phrase: bool = True) -> list[str]:
    """Content hashes of photos whose text holds ``query`` (words as a phrase, CJK
    substrings), best match first."""
    clause = _match_clause(query, phrase)
    if clause is None:
        return []
    condition, args = clause
    rows = conn.execute("SELECT r.content_hash FROM photo_text_runs r JOIN photo_text_fts f "
                        f"ON f.rowid = r.id WHERE {condition} LIMIT ?", (*args, limit))
    return [row[0] for row in rows]
