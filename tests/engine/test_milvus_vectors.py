"""Vectors on Milvus: the same top results as the local hnswlib index with filters run in the
server (against a real Milvus Lite: the same client API as a Milvus server), credentials that
never reach the settings file, logs or error messages, and a catalog that publishing never
changes. Milvus Lite serves on a loopback port of its own; nothing of ours listens."""

from __future__ import annotations

import hashlib
import logging
import socket
from datetime import date
from pathlib import Path

import pytest

pytest.importorskip("pymilvus", reason="pip install 'photosearch[archive]'")
pytest.importorskip("milvus_lite", reason="pip install 'photosearch[archive]'")

from conftest import IndexedLibrary  # noqa: E402
from exif_samples import gps_ifd  # noqa: E402

from engine.api import Library, SearchFilters  # noqa: E402
from engine.cli import main  # noqa: E402
from engine.store import milvus_vectors  # noqa: E402
from engine.store.milvus_vectors import (  # noqa: E402
    MilvusVectors,
    VectorStoreError,
    filter_expression,
    parse_vectors_uri,
)

QUERIES = ["a red circle", "a blue square on the left", "green triangle", "two shapes"]


def _catalog_digest(lib: Library) -> str:
    """Everything the catalog holds that publishing could touch."""
    digest = hashlib.sha256()
    for table in ("photos", "embeddings", "folders", "settings"):
        for row in lib.catalog._query(f"SELECT * FROM {table} ORDER BY 1"):
            digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def published(indexed: IndexedLibrary, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A second Library on the session's indexed library, searching Milvus Lite."""
    uri = f"milvus-lite:{tmp_path_factory.mktemp('milvus') / 'vectors.db'}"
    lib = Library.open(indexed.lib.home, model="demo", device="cpu", vectors=uri)
    before = _catalog_digest(lib)
    report = lib.publish()
    assert report.total == report.upserted == 40 and report.deleted == 0
    assert _catalog_digest(lib) == before
    yield lib
    lib.close()


@pytest.mark.cluster
@pytest.mark.parametrize("filters", [
    None,
    "trip", "canon", "2021", "phone-2023-march", "before-2022",
], ids=str)
def test_milvus_results_equal_the_local_index(indexed: IndexedLibrary, published: Library,
                                              filters: str | None) -> None:
    made = {
        None: None,
        "trip": SearchFilters(folder=indexed.root / "trip"),
        "canon": SearchFilters(camera="canon"),
        "2021": SearchFilters(after=date(2021, 6, 3), before=date(2021, 6, 10)),
        "phone-2023-march": SearchFilters(folder=indexed.root / "phone", camera="pixel",
                                          after=date(2023, 3, 5)),
        "before-2022": SearchFilters(before=date(2022, 1, 1)),
    }[filters]
    assert published.vectors_uri.startswith("milvus-lite:")
    for q in QUERIES:
        local = indexed.lib.search(q, k=10, filters=made, cut_off=False, rerank=False)
        remote = published.search(q, k=10, filters=made, cut_off=False, rerank=False)
        assert [h.photo_id for h in remote] == [h.photo_id for h in local]
        assert all(abs(a.score - b.score) < 1e-5 for a, b in zip(remote, local, strict=True))
        assert local  # every filter keeps some photos
    # The cut-off (its background sample comes from the server) keeps a best-first prefix.
    hits = published.search(QUERIES[0], k=10, rerank=False)
    full = published.search(QUERIES[0], k=10, cut_off=False, rerank=False)
    assert 1 <= len(hits) <= 10 and [h.photo_id for h in hits] == [
        h.photo_id for h in full[:len(hits)]]


@pytest.mark.cluster
def test_similar_and_an_empty_filter_on_milvus(indexed: IndexedLibrary,
                                               published: Library) -> None:
    photo = indexed.paths[indexed.demo.names[0]]
    local = indexed.lib.similar(photo, k=5, cut_off=False)
    remote = published.similar(photo, k=5, cut_off=False)
    assert [h.photo_id for h in remote] == [h.photo_id for h in local]
    assert published.search("a red circle", k=5, rerank=False,
                             filters=SearchFilters(camera="no such camera")) == []


@pytest.mark.cluster
def test_cli_publish_and_search_on_milvus(indexed: IndexedLibrary, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    vectors = f"milvus-lite:{tmp_path / 'cli.db'}"
    base = ["--home", str(indexed.lib.home), "--model", "demo", "--vectors", vectors]
    assert main([*base, "publish"]) == 0
    assert "published 40 photos" in capsys.readouterr().out
    assert main([*base, "search", "a red circle", "-k", "5", "--camera", "canon",
                 "--json"]) == 0
    out = capsys.readouterr().out
    local = indexed.lib.search("a red circle", k=5, filters=SearchFilters(camera="canon"),
                               rerank=False)
    assert local and str(local[0].path) in out  # the best hit is never cut off
    assert all(str(p) not in out for p in indexed.in_folder("phone"))  # Canon: the trip


@pytest.mark.cluster
def test_interrupted_publish_never_changes_the_catalog(
        tmp_path: Path, small_photos: Path, open_library,  # type: ignore[no-untyped-def]
        monkeypatch: pytest.MonkeyPatch) -> None:
    lib = open_library(tmp_path / "home")
    lib.add_folder(small_photos)
    lib.index(background=False).result(timeout=300)
    uri = f"milvus-lite:{tmp_path / 'v.db'}"
    remote = Library.open(lib.home, model="demo", device="cpu", vectors=uri)
    try:
        before = _catalog_digest(remote)
        monkeypatch.setattr(milvus_vectors, "PUBLISH_BATCH", 5)
        store = remote._vector_store()
        assert store is not None
        real_upsert, calls = store._client.upsert, []

        def failing(*args, **kwargs):  # type: ignore[no-untyped-def]
            calls.append(1)
            if len(calls) == 2:  # the server goes away in the middle of the publish
                raise ConnectionError("server went away")
            return real_upsert(*args, **kwargs)

        monkeypatch.setattr(store._client, "upsert", failing)
        with pytest.raises(VectorStoreError, match="server went away"):
            remote.publish()
        assert _catalog_digest(remote) == before
        monkeypatch.setattr(store._client, "upsert", real_upsert)
        report = remote.publish()  # the next publish finishes what the first began
        assert report.upserted == 15 and report.total == 20
        assert _catalog_digest(remote) == before
        again = remote.publish()
        assert again.upserted == 0 and again.deleted == 0
        # A photo deleted from the library leaves the server on the next publish.
        name = sorted(p.name for p in small_photos.iterdir())[0]
        (small_photos / name).unlink()
        remote.close()
        lib.index(background=False).result(timeout=300)
        remote = Library.open(lib.home, model="demo", device="cpu", vectors=uri)
        report = remote.publish()
        assert report.deleted == 1 and report.total == 19
        # Switching back to the local index: same results, the catalog as it was.
        q = "a red circle"
        assert ([h.photo_id for h in remote.search(q, k=5, cut_off=False, rerank=False)]
                == [h.photo_id for h in lib.search(q, k=5, cut_off=False, rerank=False)])
    finally:
        remote.close()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


SECRET = "pa55-w0rd-never-shown"


class _MemoryKeyring:
    """A real keyring backend that keeps passwords in memory (the OS keyring of a test)."""

    def __init__(self) -> None:
        import keyring.backend

        class Backend(keyring.backend.KeyringBackend):
            priority = 1  # type: ignore[assignment]
            store: dict[tuple[str, str], str] = {}

            def get_password(self, service: str, username: str) -> str | None:
                return self.store.get((service, username))

            def set_password(self, service: str, username: str, password: str) -> None:
                self.store[(service, username)] = password

            def delete_password(self, service: str, username: str) -> None:
                self.store.pop((service, username), None)

        self.backend = Backend()


@pytest.mark.parametrize("source", ["environment", "keyring"])
def test_credentials_never_appear_in_errors_logs_or_settings(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
        capsys: pytest.CaptureFixture[str], source: str) -> None:
    port = _closed_port()
    uri = parse_vectors_uri(f"milvus://127.0.0.1:{port}/archive")
    assert uri is not None
    if source == "environment":
        monkeypatch.setenv("PHOTOSEARCH_MILVUS_USER", "archivist")
        monkeypatch.setenv("PHOTOSEARCH_MILVUS_PASSWORD", SECRET)
    else:
        import keyring

        memory = _MemoryKeyring().backend
        previous = keyring.get_keyring()
        keyring.set_keyring(memory)
        monkeypatch.setattr(memory, "store", {})
        keyring.set_password("photosearch-milvus", f"127.0.0.1:{port}", f"archivist:{SECRET}")
        monkeypatch.setattr(keyring, "get_keyring", lambda: memory)
    found = milvus_vectors.find_credentials(uri)
    assert found is not None and found.source == source and SECRET not in repr(found)
    caplog.set_level(logging.DEBUG)
    try:
        with pytest.raises(VectorStoreError) as info:
            MilvusVectors(uri, "model", 8, timeout=1.0)
    finally:
        if source == "keyring":
            keyring.set_keyring(previous)
    assert "127.0.0.1" in info.value.user_message
    for text in (info.value.user_message, info.value.details, str(info.value), caplog.text):
        assert SECRET not in text

    # The CLI: a URI with credentials is refused and never saved; the message hides them.
    home = tmp_path / "home"
    code = main(["--home", str(home), "--model", "demo", "--vectors",
                 f"milvus://archivist:{SECRET}@127.0.0.1:{port}", "folders"])
    err = capsys.readouterr().err
    assert code == 1 and "credentials" in err and SECRET not in err
    lib = Library.open(home, model="demo")
    try:
        with pytest.raises(VectorStoreError):
            lib.update_settings(vectors=f"milvus://archivist:{SECRET}@127.0.0.1:{port}")
        assert SECRET not in (home / "settings.toml").read_text() if (
            home / "settings.toml").exists() else True
        lib.update_settings(vectors=f"milvus://127.0.0.1:{port}")
        assert lib.settings.vectors == f"milvus://127.0.0.1:{port}"
    finally:
        lib.close()


def test_vector_uris(monkeypatch: pytest.MonkeyPatch) -> None:
    assert parse_vectors_uri("") is None and parse_vectors_uri("local") is None
    monkeypatch.setenv("PHOTOSEARCH_MILVUS_TOKEN", SECRET)
    lite = parse_vectors_uri("milvus-lite:/tmp/x.db")
    assert lite is not None and milvus_vectors.find_credentials(lite) is None  # no accounts
    server = parse_vectors_uri("milvus+tls://db.example:19530/museum")
    assert server is not None and server.client_uri == "https://db.example:19530"
    assert server.name == "museum"
    for bad in ("http://x:1", "milvus://nohostport", "milvus://h:1/bad-name",
                "milvus://h:1?token=x", "milvus-lite:/tmp/x.sqlite"):
        with pytest.raises(VectorStoreError):
            parse_vectors_uri(bad)


def test_filter_expressions_are_exact() -> None:
    assert filter_expression(None) == ""
    assert filter_expression(None, only=[]) is None
    expr = filter_expression(SearchFilters(camera='50% "odd"\\cam', places=("Paris",),
                                           after=date(2020, 1, 2)), only=[3, 4])
    assert expr is not None
    assert 'camera like "%50\\\\% \\"odd\\"\\\\\\\\cam%"' in expr
    assert 'ARRAY_CONTAINS_ANY(places, ["paris"])' in expr
    assert f"taken_day >= {date(2020, 1, 2).toordinal()}" in expr and "id in [3,4]" in expr
    # Camera names resolved by the catalog become an exact list; none at all pass nothing.
    assert filter_expression(SearchFilters(camera="x"), cameras=[]) is None
    # A folder is matched by key, so '_' or '%' in folder names are never wildcards.
    assert (filter_expression(SearchFilters(folder=Path("/a/b_c")))
            == f"ARRAY_CONTAINS(dirs, {milvus_vectors.folder_key('/a/b_c')})")
    assert milvus_vectors.folder_key("/a/b_c") in milvus_vectors.ancestor_keys("/a/b_c/x.jpg")
    assert milvus_vectors.folder_key("/a/bxc") not in milvus_vectors.ancestor_keys(
        "/a/b_c/x.jpg")


@pytest.mark.cluster
@pytest.mark.background_analyses
def test_place_filters_run_in_milvus(tmp_path: Path, small_photos: Path,
                                     open_library,  # type: ignore[no-untyped-def]
                                     capsys: pytest.CaptureFixture[str]) -> None:
    from PIL import Image

    places = {0: (48.8584, 2.2945), 1: (48.8606, 2.3376), 2: (38.7077, -9.1365),
              3: (35.0116, 135.7681)}  # Paris twice, Lisbon, Kyoto
    for n, path in enumerate(sorted(small_photos.iterdir())[:4]):
        with Image.open(path) as im:
            im.load()
            exif = Image.Exif()
            exif[0x8825] = gps_ifd(*places[n])
            im.save(path, "JPEG", quality=92, exif=exif)
    lib = open_library(tmp_path / "home")
    lib.update_settings(disabled_analyses=("text",))  # places only: no OCR here
    lib.add_folder(small_photos)
    uri = f"milvus-lite:{tmp_path / 'p.db'}"
    # `index` with a vector server set publishes when it is done.
    assert main(["--home", str(lib.home), "--model", "demo", "--device", "cpu",
                 "--vectors", uri, "index", "--quiet"]) == 0
    assert "published 20 photos" in capsys.readouterr().out
    remote = Library.open(lib.home, model="demo", device="cpu", vectors=uri)
    try:
        for wanted, count in ((("paris",), 2), (("Lisbon", "Kyoto"), 2), (("FR",), 2),
                              (("Portugal",), 1), (("Atlantis",), 0)):
            filters = SearchFilters(places=wanted)
            local = lib.search("a red circle", k=10, filters=filters, cut_off=False,
                               rerank=False)
            theirs = remote.search("a red circle", k=10, filters=filters, cut_off=False,
                                   rerank=False)
            assert len(local) == count
            assert [h.photo_id for h in theirs] == [h.photo_id for h in local]
    finally:
        remote.close()
