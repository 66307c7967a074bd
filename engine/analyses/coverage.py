"""How far each analysis has got over the library: done, pending and failed photos."""

from __future__ import annotations

from pathlib import Path

from engine.analyses.base import Analysis
from engine.records import AnalysisCoverage, FailedPhoto
from engine.store.catalog import Catalog

FAILURE_SAMPLE = 50


def analysis_coverage(catalog: Catalog, analysis: Analysis, enabled: bool = True,
                      failure_limit: int = FAILURE_SAMPLE) -> AnalysisCoverage:
    """Counts over the library's readable photos (files that could not be read at all are the
    catalog's failures, not an analysis's)."""
    return catalog.cached(
        ("coverage", analysis.name, analysis.version, enabled, failure_limit),
        lambda: _coverage(catalog, analysis, enabled, failure_limit))


def _coverage(catalog: Catalog, analysis: Analysis, enabled: bool,
              failure_limit: int) -> AnalysisCoverage:
    # the same for every analysis: counted once per write, not once per analysis (a scan of
    # every photo row, about a second at a million photos)
    readable = catalog.cached(("readable",), lambda: int(catalog._query(
        "SELECT COUNT(*) FROM photos INDEXED BY photos_readable "
        "WHERE error IS NULL AND content_hash IS NOT NULL")[0][0]))
    if analysis.keyed_by == "photo":  # read with every photo the indexing pass writes
        return AnalysisCoverage(analysis.name, analysis.title, analysis.stage,
                                analysis.version, enabled, readable, 0, 0)
    covered, params = analysis.covered_sql()
    failed_sql, failed_params = analysis.failed_sql()
    kind = analysis.kind_sql("p")
    failures = [(r[0], r[1]) for r in catalog._query(
        f"SELECT p.path, f.error FROM photos p JOIN ({failed_sql}) AS f "
        f"ON f.content_hash = p.content_hash WHERE p.error IS NULL AND {kind} ORDER BY p.path",
        failed_params)]
    if analysis.media_kind is None:
        covered_count = int(catalog._query(
            "SELECT COUNT(*) FROM photos p INDEXED BY photos_readable "
            "WHERE p.error IS NULL AND p.content_hash IS NOT NULL "
            f"AND p.content_hash IN ({covered})", params)[0][0])
    else:
        # Files of another kind are covered without being read: the readable ones are the
        # readable count less those of this kind, which (the videos) come from their partial
        # index, as do those this version ran on; no other row is read.
        media_kind = analysis.media_kind
        of_kind = catalog.cached(("readable", media_kind), lambda: catalog.count_of_kind(
            media_kind, readable=True))
        covered_count = readable - of_kind + int(catalog._query(
            "SELECT COUNT(*) FROM photos p WHERE p.error IS NULL AND p.content_hash IS NOT NULL "
            f"AND {kind} AND p.content_hash IN ({covered})", params)[0][0])
    failed = len(failures)
    done = covered_count - failed
    return AnalysisCoverage(
        analysis.name, analysis.title, analysis.stage, analysis.version, enabled, done,
        max(0, readable - covered_count), failed,
        [FailedPhoto(Path(p), reason) for p, reason in failures[:failure_limit]])
