"""The catalog queries that decide how a million-photo library feels (status, the folder list,
the open, the indexer's per-photo check) stay on narrow indexes: SQLite's plan for each is
asserted, since at a small size every plan is fast and only the plan shows the difference
(docs/benchmarks.md: 7 s against 1 s for the counts at 1M, 5 s against 4 ms per check)."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.analyses.coverage import _coverage
from engine.api import Library
from engine.ingest.background import BackgroundPasses
from engine.store.catalog import Catalog


def plan(catalog: Catalog, sql: str, params: list[object]) -> str:
    rows = catalog.conn.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
    return " | ".join(str(r[3]) for r in rows)


@pytest.fixture
def library(tmp_path: Path) -> Library:
    lib = Library.open(tmp_path / "lib", model="demo")
    yield lib
    lib.close()


def test_whether_a_vector_exists_is_read_from_the_narrow_index(
        library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    catalog = library.catalog
    plans: list[str] = []
    real_query = catalog._query

    def recording(sql: str, params: object = ()) -> list:
        if "embeddings" in sql and "vector" not in sql:
            plans.append(plan(catalog, sql, list(params)))  # type: ignore[arg-type]
        return real_query(sql, params)  # type: ignore[arg-type]

    monkeypatch.setattr(catalog, "_query", recording)
    model = library.encoder.spec.model_id
    catalog._counts(model)
    catalog._folders(model)
    monkeypatch.setattr(catalog, "_query", real_query)
    with catalog._lock:  # searchable_ids runs its statement itself
        ids_plan = plan(catalog, "SELECT p.id FROM photos p JOIN folders f ON f.id = p.folder_id "
                        "JOIN embeddings e INDEXED BY embeddings_present ON e.content_hash = "
                        "p.content_hash AND e.model_id = ? WHERE p.error IS NULL", [model])
    assert len(plans) == 2
    for p in [*plans, ids_plan]:
        assert "COVERING INDEX embeddings_present" in p, p
    # a vector read keeps the primary key (the table's rows hold the vectors)
    vector_plan = plan(catalog, "SELECT e.vector FROM photos p JOIN embeddings e ON "
                       "e.content_hash = p.content_hash AND e.model_id = ? WHERE p.id IN (1, 2)",
                       [model])
    assert "embeddings_present" not in vector_plan, vector_plan


def test_an_analysis_coverage_counts_over_the_readable_photos_index(
        library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    catalog = library.catalog
    plans: list[tuple[str, str]] = []
    real_query = catalog._query

    def recording(sql: str, params: object = ()) -> list:
        if sql.startswith("SELECT COUNT(*) FROM photos"):
            plans.append((sql, plan(catalog, sql, list(params))))  # type: ignore[arg-type]
        return real_query(sql, params)  # type: ignore[arg-type]

    monkeypatch.setattr(catalog, "_query", recording)
    status = library.status()
    content_keyed = [a for a in library._analyses(bound=False) if a.keyed_by == "content"]
    videos_only = [a for a in content_keyed if a.media_kind == "video"]
    assert len(status.analyses) > len(content_keyed) >= 5 and len(videos_only) == 2
    # each analysis's count, the readable count once, the videos (all, and readable) once
    assert len(plans) == len(content_keyed) + 3
    for sql, p in plans:
        if "media_kind = 'video'" in sql:  # the video analyses and the counts read the videos
            assert "photos_videos" in p, p  # from their partial index (migration 7)
        else:
            assert "photos_readable" in p, p


def test_the_video_analyses_read_only_the_videos_rows(library: Library) -> None:
    """Their pending work and coverage never test every path (5 s at a million photos
    before migration 7): every photos read is of the videos' partial index."""
    catalog = library.catalog
    passes = BackgroundPasses(catalog, [])
    videos_only = [a for a in library._analyses(bound=False) if a.media_kind == "video"]
    assert {a.name for a in videos_only} == {"video", "video_frames"}
    for analysis in videos_only:
        statements: list[tuple[str, list[object]]] = []
        real_query = catalog._query

        def recording(sql: str, params: object = ()) -> list:
            statements.append((sql, list(params)))  # type: ignore[call-overload]  # noqa: B023
            return real_query(sql, params)  # type: ignore[arg-type]  # noqa: B023

        catalog._cache.clear()  # the videos' count is cached between analyses
        catalog._query = recording  # type: ignore[method-assign]
        try:
            passes.pending(analysis)
            passes.pending(analysis, retry_failed=True)
            _coverage(catalog, analysis, True, 50)
        finally:
            catalog._query = real_query  # type: ignore[method-assign]
        photo_reads = [plan(catalog, sql, params) for sql, params in statements
                       if "FROM photos" in sql and "media_kind" in sql]
        assert len(photo_reads) == 5, statements  # pending twice, the failed, two counts
        for p in photo_reads:
            assert "photos_videos" in p and "SCAN p " not in p and "SCAN photos " not in p, p


def test_checking_one_photo_against_an_analysis_never_reads_the_whole_catalog(
        library: Library) -> None:
    # has_results wraps covered_sql in "WHERE content_hash IN (...)": the condition must reach
    # every part of it (a UNION is materialised whole first, a UNION ALL is not), and the
    # video analyses' "or a photo with this content" arm is looked up by hash
    catalog = library.catalog
    for analysis in library._analyses(bound=False):
        if analysis.keyed_by != "content":
            continue
        sql, params = analysis.has_results_sql(1)
        copies = 2 if analysis.media_kind is not None else 1
        p = plan(catalog, sql, [*params, *["h"] * copies])
        assert "TEMP B-TREE" not in p and "SCAN photos" not in p and "SCAN p " not in p, (
            analysis.name, p)
