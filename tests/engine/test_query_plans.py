"""The catalog queries that decide how a million-photo library feels (status, the folder list,
the open, the indexer's per-photo check) stay on narrow indexes: SQLite's plan for each is
asserted, since at a small size every plan is fast and only the plan shows the difference
(docs/benchmarks.md: 7 s against 1 s for the counts at 1M, 5 s against 4 ms per check)."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.api import Library
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
    plans: list[str] = []
    real_query = catalog._query

    def recording(sql: str, params: object = ()) -> list:
        if sql.startswith("SELECT COUNT(*) FROM photos"):
            plans.append(plan(catalog, sql, list(params)))  # type: ignore[arg-type]
        return real_query(sql, params)  # type: ignore[arg-type]

    monkeypatch.setattr(catalog, "_query", recording)
    status = library.status()
    content_keyed = [a for a in library._analyses(bound=False) if a.keyed_by == "content"]
    assert len(status.analyses) > len(content_keyed) >= 5
    assert len(plans) == len(content_keyed) + 1  # each analysis's count, the readable count once
    for p in plans:
        assert "photos_readable" in p, p


def test_checking_one_photo_against_an_analysis_never_reads_the_whole_catalog(
        library: Library) -> None:
    # has_results wraps covered_sql in "WHERE content_hash IN (...)": the condition must reach
    # every part of it (a UNION is materialised whole first, a UNION ALL is not)
    catalog = library.catalog
    for analysis in library._analyses(bound=False):
        if analysis.keyed_by != "content":
            continue
        covered, params = analysis.covered_sql()
        p = plan(catalog, f"SELECT content_hash FROM ({covered}) WHERE content_hash IN (?)",
                 [*params, "h"])
        assert "TEMP B-TREE" not in p and "SCAN photos" not in p, (analysis.name, p)
