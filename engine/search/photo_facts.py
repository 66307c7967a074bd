"""What the text, places and dates analyses know about one photo, for the facade: the text a
photo shows (from the catalog, or read on the spot for a file outside the library), its place,
its capture date and where that came from, and the library's places with their counts."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from engine.analyses import places as place_names
from engine.analyses import text as photo_text_analysis
from engine.analyses.base import PhotoInput
from engine.errors import InvalidQueryError, PhotoReadError
from engine.i18n import _
from engine.media import imaging
from engine.models.ocr import TextReader
from engine.records import CaptureDate, PhotoPlace, PhotoText, PhotoTextLine, PlaceCount
from engine.store.catalog import Catalog


def photo_text(catalog: Catalog, path: Path, reader: TextReader | None = None,
               read_now: bool = True) -> PhotoText:
    """The lines of text in the photo at ``path``: the catalog's when the text pass has read
    this content, else read now unless not ``read_now`` (ModelUnavailableError when the OCR
    models are missing; InvalidQueryError when the file cannot be read)."""
    path = Path(path).expanduser().resolve()
    photo_id = catalog.photo_id_for_path(str(path))
    if photo_id is not None:
        rows = catalog._query("SELECT content_hash FROM photos WHERE id = ?", (photo_id,))
        content_hash = rows[0][0] if rows else None
        if content_hash:
            try:
                stored = photo_text_analysis.stored_lines(catalog, content_hash)
            except sqlite3.Error:  # the text pass never ran in this library
                stored = None
            if stored is not None:
                lines, note = stored
                return PhotoText(path, [_line(ln) for ln in lines], True, note)
    if not read_now:
        return PhotoText(path, [], False, "not read yet")
    try:
        decoded = imaging.decode_photo(path, photo_text_analysis.IMAGE_SHORT_SIDE)
    except PhotoReadError as exc:
        raise InvalidQueryError(_("Cannot read {path}: {reason}.").format(
                                    path=path, reason=exc.user_message),
                                details=exc.details) from exc
    result = photo_text_analysis.read_photo_text(
        reader or TextReader(), PhotoInput(path, "", decoded.image, decoded.metadata))
    return PhotoText(path, [_line(ln) for ln in result.lines], False, result.note)


def _line(line: photo_text_analysis.TextLine) -> PhotoTextLine:
    return PhotoTextLine(line.text, tuple(line.box), line.confidence)


def library_places(catalog: Catalog) -> list[PlaceCount]:
    """The cities of the library's photos with how many photos each, most first."""
    return list(catalog.cached("library_places", lambda: _library_places(catalog)))


def _library_places(catalog: Catalog) -> list[PlaceCount]:
    try:
        return [PlaceCount(c, country, n) for c, country, n in place_names.place_counts(catalog)]
    except sqlite3.Error:  # the places pass never ran
        return []


def photo_place(catalog: Catalog, photo_id: int) -> PhotoPlace | None:
    """Where a photo was taken; None when the places pass has not looked at it yet."""
    rows = catalog._query("SELECT content_hash FROM photos WHERE id = ?", (photo_id,))
    if not rows or not rows[0][0]:
        return None
    try:
        found = place_names.photo_place(catalog, rows[0][0])
    except sqlite3.Error:
        return None
    return PhotoPlace(*found) if found is not None else None


def capture_date(catalog: Catalog, photo_id: int) -> CaptureDate | None:
    """When a photo was taken and where that came from; None before it was read."""
    try:
        rows = catalog._query(
            "SELECT p.taken_at, d.utc_offset, d.source, d.rejected FROM photos p "
            "JOIN photo_dates d ON d.photo_id = p.id WHERE p.id = ?", (photo_id,))
    except sqlite3.Error:
        return None
    if not rows:
        return None
    r = rows[0]
    return CaptureDate(r[0], r[1], r[2], tuple(json.loads(r[3])) if r[3] else ())
