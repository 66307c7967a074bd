"""Photo vectors on a Milvus server: one writer publishes the catalog's vectors, any number of
apps search them, with the search filters (folder, date, camera, place) run inside the server.

The catalog stays the truth and the local hnswlib index stays the default (and can always be
rebuilt from the catalog): a Milvus collection is a *published copy*. Publishing only reads the
catalog, so an interrupted publish never changes it; the collection is brought up to date by
idempotent upserts and deletes, so the next publish finishes what an interrupted one began.

Where the library's vectors live is a URI (``--vectors`` or the ``vectors`` setting):

* ``milvus://HOST:PORT[/NAME]`` - a Milvus server over plain gRPC;
* ``milvus+tls://HOST:PORT[/NAME]`` - the same over TLS (``PHOTOSEARCH_MILVUS_CA``: a CA file);
* ``milvus-lite:/path/file.db`` - Milvus Lite in this process (one machine; tests). Milvus Lite
  serves its engine on a loopback port of its own; nothing of PhotoSearch listens anywhere.

``NAME`` (default ``photosearch``) names the archive on a shared server; each model gets its own
collection. Credentials never come from the URI or the settings file: ``PHOTOSEARCH_MILVUS_TOKEN``
(or ``PHOTOSEARCH_MILVUS_USER`` + ``PHOTOSEARCH_MILVUS_PASSWORD``), else the OS keyring (service
``photosearch-milvus``, user ``HOST:PORT``). They never appear in logs or error messages.

Why one module past 500 lines: the URI parsing, the credentials and the connection that uses
them stay together, so that a secret is handled in one place and no other module ever sees it.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from engine.errors import EngineError
from engine.i18n import N_, _
from engine.records import SearchFilters
from engine.store.catalog import Catalog, chunks

log = logging.getLogger(__name__)

KEYRING_SERVICE = "photosearch-milvus"
ENV_TOKEN = "PHOTOSEARCH_MILVUS_TOKEN"
ENV_USER = "PHOTOSEARCH_MILVUS_USER"
ENV_PASSWORD = "PHOTOSEARCH_MILVUS_PASSWORD"
ENV_CA = "PHOTOSEARCH_MILVUS_CA"
DEFAULT_NAME = "photosearch"
PUBLISH_BATCH = 1000
PUBLISH_RANGE = 20_000  # catalog photos read at a time while publishing
MAX_DIRS = 64  # folder levels kept per photo (deeper paths filter by their first 64 levels)
MAX_PLACES = 8
HNSW_PARAMS = {"M": 16, "efConstruction": 200}
SEARCH_EF = 256
BACKGROUND_SAMPLE = 512  # as many as the local first stage's sample (photo_vectors.py)


class VectorStoreError(EngineError):
    """The vector store (a Milvus server) cannot be reached or refused a request."""


@dataclass(frozen=True)
class VectorStoreUri:
    """A parsed ``--vectors`` value (never holds credentials)."""

    raw: str
    kind: str  # "server" or "lite"
    address: str  # host:port, or the Milvus Lite file
    tls: bool = False
    name: str = DEFAULT_NAME

    @property
    def client_uri(self) -> str:
        """What pymilvus connects to."""
        if self.kind == "lite":
            return self.address
        return f"{'https' if self.tls else 'http'}://{self.address}"


_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
_URI_HELP = N_("Use milvus://HOST:PORT, milvus+tls://HOST:PORT (optionally /NAME for the "
                "archive's name) or milvus-lite:/path/file.db; an empty value or 'local' keeps "
                "the local index.")


def parse_vectors_uri(value: str | None) -> VectorStoreUri | None:
    """Parse a ``--vectors`` value; None for the local index. Raises VectorStoreError (without
    echoing anything that looks like a credential)."""
    value = (value or "").strip()
    if value in ("", "local", "hnswlib"):
        return None
    if value.startswith("milvus-lite:"):
        path = value[len("milvus-lite:"):]
        if not path.endswith(".db"):
            raise VectorStoreError(_("A Milvus Lite store is a file ending in .db, e.g. "
                                     "milvus-lite:/data/photos-vectors.db. ") + _(_URI_HELP))
        return VectorStoreUri(value, "lite", os.path.abspath(os.path.expanduser(path)))
    parts = urlsplit(value)
    if parts.scheme not in ("milvus", "milvus+tls"):
        raise VectorStoreError(_("'{address}' is not a vector store PhotoSearch knows. ").format(
                                   address=_redact_uri(value)) + _(_URI_HELP))
    if "@" in parts.netloc or parts.password or parts.query:
        raise VectorStoreError(
            _("The vector store address must not hold credentials or options. Give the "
              "user and password or token in {ENV_TOKEN} (or {ENV_USER} and "
              "{ENV_PASSWORD}), or store the token in the OS keyring (service "
              "'{KEYRING_SERVICE}', user 'HOST:PORT').").format(
                ENV_TOKEN=ENV_TOKEN, ENV_USER=ENV_USER, ENV_PASSWORD=ENV_PASSWORD,
                KEYRING_SERVICE=KEYRING_SERVICE))
    try:
        port = parts.port
    except ValueError:
        port = None
    if not parts.hostname or port is None:
        raise VectorStoreError(_("'{value}' names no HOST:PORT. ").format(value=value)
                               + _(_URI_HELP))
    name = parts.path.strip("/") or DEFAULT_NAME
    if not _NAME_RE.match(name):
        raise VectorStoreError(_("'{name}' is not an archive name (letters, digits and _, "
                                 "starting with a letter). ").format(name=name) + _(_URI_HELP))
    return VectorStoreUri(value, "server", f"{parts.hostname}:{port}",
                          tls=parts.scheme == "milvus+tls", name=name)


def _redact_uri(value: str) -> str:
    """``value`` with anything between ``//`` and ``@`` hidden."""
    return re.sub(r"//[^/@]*@", "//***@", value)


@dataclass(frozen=True)
class Credentials:
    """A Milvus token (``user:password`` or an API key), and where it came from."""

    token: str = field(repr=False)
    source: str  # "environment" or "keyring"


def find_credentials(uri: VectorStoreUri) -> Credentials | None:
    """The server's credentials from the environment, else the OS keyring, else None (and
    always None for Milvus Lite, which has no accounts)."""
    if uri.kind == "lite":
        return None
    token = os.environ.get(ENV_TOKEN)
    if token:
        return Credentials(token, "environment")
    user, password = os.environ.get(ENV_USER), os.environ.get(ENV_PASSWORD)
    if user and password:
        return Credentials(f"{user}:{password}", "environment")
    try:
        import keyring

        stored = keyring.get_password(KEYRING_SERVICE, uri.address)
    except Exception as exc:  # no keyring backend on this system: no stored credentials
        log.debug("no OS keyring to read (%s)", exc.__class__.__name__)
        return None
    return Credentials(stored, "keyring") if stored else None


@dataclass(frozen=True)
class PublishReport:
    """What a publish did to the collection."""

    collection: str
    upserted: int
    deleted: int
    total: int


@dataclass(frozen=True)
class PublishedRow:
    """One photo as the collection holds it: the vector and its filterable fields."""

    id: int
    vector: np.ndarray
    content_hash: str
    path: str
    taken_day: int  # date.toordinal() of the day taken; 0 when unknown
    camera: str  # lower-case "make model", as the catalog's camera filter matches it
    places: tuple[str, ...]  # lower-case city, district, region, country, country code

    @property
    def stamp(self) -> int:
        """A fingerprint of everything published about the photo (what changed since)."""
        digest = hashlib.blake2b(digest_size=8)
        for part in (self.content_hash, self.path, str(self.taken_day), self.camera,
                     *self.places):
            digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
        return int.from_bytes(digest.digest(), "little") >> 1  # a non-negative INT64


def folder_key(folder: str) -> int:
    """A folder path as a 63-bit key: each photo carries the keys of its ancestor folders, so
    a folder filter is an exact ARRAY_CONTAINS (no LIKE wildcards in folder names)."""
    digest = hashlib.blake2b(folder.encode("utf-8", "surrogateescape"), digest_size=8)
    return int.from_bytes(digest.digest(), "little") >> 1


def ancestor_keys(path: str) -> list[int]:
    """Keys of every folder above ``path`` (``/a/b/c.jpg``: ``/``, ``/a``, ``/a/b``)."""
    sep = "\\" if "\\" in path and "/" not in path else "/"
    parts = path.split(sep)[:-1]
    folders = []
    for n in range(1, len(parts) + 1):
        folder = sep.join(parts[:n]) or sep
        folders.append(folder)
    return [folder_key(f) for f in folders[:MAX_DIRS]]


def _ascii_lower(text: str) -> str:
    """Lower-case like SQLite's NOCASE: ASCII letters only."""
    return text.translate(_ASCII_LOWER)


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _day(taken_at: str | None) -> int:
    if not taken_at:
        return 0
    try:
        return date.fromisoformat(taken_at[:10]).toordinal()
    except ValueError:
        return 0


def catalog_rows(catalog: Catalog, model_id: str, dim: int,
                 ids: Sequence[int] | None = None) -> list[PublishedRow]:
    """The searchable photos (readable, online, with a ``model_id`` vector) as published rows;
    with ``ids``, only those. Only reads the catalog."""
    has_places = bool(catalog._query(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'photo_places'"))
    places_cols = ("pl.city, pl.locality, pl.region, pl.country, pl.country_code"
                   if has_places else "NULL, NULL, NULL, NULL, NULL")
    places_join = ("LEFT JOIN photo_places pl ON pl.content_hash = p.content_hash"
                   if has_places else "")
    base = ("SELECT p.id, e.vector, p.content_hash, CAST(p.path AS BLOB), p.taken_at, "
            f"p.camera_make, p.camera_model, {places_cols} FROM photos p "
            "JOIN folders f ON f.id = p.folder_id "
            "JOIN embeddings e ON e.content_hash = p.content_hash AND e.model_id = ? "
            f"{places_join} WHERE p.error IS NULL AND f.online = 1")
    rows: list[Any] = []
    if ids is None:
        rows = catalog._query(base + " ORDER BY p.id", (model_id,))
    else:
        for chunk in chunks(list(ids), 500):
            rows.extend(catalog._query(base + f" AND p.id IN ({','.join('?' * len(chunk))})",
                                       [model_id, *chunk]))
    out = []
    for r in rows:
        vector = np.frombuffer(r[1], np.float32)
        if len(vector) != dim:
            continue
        camera = _ascii_lower(f"{r[5] or ''} {r[6] or ''}")
        places = tuple(dict.fromkeys(_ascii_lower(p) for p in r[7:12] if p))[:MAX_PLACES]
        out.append(PublishedRow(int(r[0]), vector, r[2],
                                bytes(r[3]).decode("utf-8", "surrogateescape"),
                                _day(r[4]), camera, places))
    return out


def catalog_id_ranges(catalog: Catalog, size: int) -> Iterator[list[int]]:
    """The catalog's photo ids, ``size`` at a time, in id order (keyset paging: no OFFSET)."""
    last = -1
    while True:
        rows = catalog._query("SELECT id FROM photos WHERE id > ? ORDER BY id LIMIT ?",
                              (last, size))
        if not rows:
            return
        ids = [int(r[0]) for r in rows]
        yield ids
        last = ids[-1]


def collection_name(uri: VectorStoreUri, model_id: str) -> str:
    """One collection per archive and model."""
    return f"{uri.name}_{hashlib.blake2b(model_id.encode(), digest_size=6).hexdigest()}"


class MilvusVectors:
    """One model's vectors in one Milvus collection: publish from the catalog, search with
    filters in the server. Thread-safe as pymilvus's client is."""

    def __init__(self, uri: VectorStoreUri, model_id: str, dim: int, *,
                 timeout: float = 10.0) -> None:
        self.uri = uri
        self.model_id = model_id
        self.dim = dim
        self.timeout = timeout
        self.collection = collection_name(uri, model_id)
        self._sample: np.ndarray | None = None
        creds = find_credentials(uri)
        self._secrets = _secret_parts(creds)
        with self._guard(N_("Could not connect to {where}")):
            from pymilvus import MilvusClient

            kwargs: dict[str, Any] = {"uri": uri.client_uri, "timeout": timeout}
            if creds is not None:
                kwargs["token"] = creds.token
            if uri.tls and os.environ.get(ENV_CA):
                kwargs["server_pem_path"] = os.environ[ENV_CA]
            self._client = MilvusClient(**kwargs)
        log.info("vectors on %s (collection %s%s)", uri.address if uri.kind == "server"
                 else "Milvus Lite", self.collection,
                 f", credentials from the {creds.source}" if creds else "")

    # -- errors -------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _guard(self, what: str) -> Iterator[None]:
        """Turn any failure of a pymilvus call into a VectorStoreError whose message and
        details hold no credential. ``what`` is a clause marked ``N_`` ("Could not read
        {where}"), translated here."""
        try:
            yield
        except EngineError:
            raise
        except Exception as exc:
            reason = self.scrub(f"{exc.__class__.__name__}: {exc}")
            log.warning("%s: %s", what.format(where=self._where()), reason)  # the log: English
            failure = _(what).format(where=self._where())
            raise VectorStoreError(
                _("{failure} ({reason}). Check that the server runs and the address, TLS and "
                  "credentials are right; the local index works meanwhile (--vectors "
                  "local).").format(failure=failure, reason=reason[:300]),
                details=reason) from None

    def scrub(self, text: str) -> str:
        """``text`` with every credential part replaced by ***."""
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text

    # -- publishing (the one writer) ------------------------------------------------------------

    def exists(self) -> bool:
        """Whether this model's collection is on the server."""
        with self._guard(N_("Could not read {where}")):
            return bool(self._client.has_collection(self.collection))

    def _create(self) -> None:
        from pymilvus import DataType

        schema = self._client.create_schema(auto_id=False, enable_dynamic_field=False)
        schema.add_field("id", DataType.INT64, is_primary=True)
        schema.add_field("vector", DataType.FLOAT_VECTOR, dim=self.dim)
        schema.add_field("stamp", DataType.INT64)
        schema.add_field("taken_day", DataType.INT64)
        schema.add_field("camera", DataType.VARCHAR, max_length=512)
        schema.add_field("dirs", DataType.ARRAY, element_type=DataType.INT64,
                         max_capacity=MAX_DIRS)
        schema.add_field("places", DataType.ARRAY, element_type=DataType.VARCHAR,
                         max_capacity=MAX_PLACES, max_length=200)
        index = self._client.prepare_index_params()
        index.add_index("vector", index_type="HNSW", metric_type="IP", params=HNSW_PARAMS)
        self._client.create_collection(self.collection, schema=schema, index_params=index)

    def publish(self, catalog: Catalog) -> PublishReport:
        """Bring the collection up to date with the catalog's searchable photos: upsert what
        is new or changed (by each row's stamp), delete what left, flush. Reads the catalog
        only, a range of ids at a time (memory: the published ids and stamps, 16 bytes a
        photo, plus one range); safe to interrupt and run again."""
        self._sample = None
        upserted = total = 0
        with self._guard(N_("Could not publish to {where}")):
            if not self._client.has_collection(self.collection):
                self._create()
            remote_ids, remote_stamps = self._published_stamps()
            seen = np.zeros(len(remote_ids), bool)
            for ids in catalog_id_ranges(catalog, PUBLISH_RANGE):
                rows = catalog_rows(catalog, self.model_id, self.dim, ids)
                total += len(rows)
                row_ids = np.fromiter((r.id for r in rows), np.int64, len(rows))
                pos = np.clip(np.searchsorted(remote_ids, row_ids), 0, max(0, len(remote_ids) - 1))
                found = (remote_ids[pos] == row_ids) if len(remote_ids) else np.zeros(
                    len(rows), bool)
                seen[pos[found]] = True
                changed = [r for r, hit, p in zip(rows, found, pos, strict=True)
                           if not hit or int(remote_stamps[p]) != r.stamp]
                for batch in chunks(changed, PUBLISH_BATCH):
                    self._client.upsert(self.collection, [_entity(r) for r in batch])
                upserted += len(changed)
            gone = [int(i) for i in remote_ids[~seen]]
            for batch in chunks(gone, PUBLISH_BATCH):
                self._client.delete(self.collection, ids=batch)
            # Without a flush, every search re-scans the unflushed rows (seconds each).
            self._client.flush(self.collection)
            self._client.load_collection(self.collection)
        log.info("published %d photos to %s (%d new or changed, %d deleted)", total,
                 self.collection, upserted, len(gone))
        return PublishReport(self.collection, upserted, len(gone), total)

    def _published_stamps(self) -> tuple[np.ndarray, np.ndarray]:
        """(ids, stamps) of the published rows, sorted by id."""
        ids: list[int] = []
        stamps: list[int] = []
        it = self._client.query_iterator(self.collection, batch_size=PUBLISH_BATCH, filter="",
                                         output_fields=["id", "stamp"])
        try:
            while True:
                batch = it.next()
                if not batch:
                    break
                ids.extend(int(r["id"]) for r in batch)
                stamps.extend(int(r["stamp"]) for r in batch)
        finally:
            it.close()
        id_arr, stamp_arr = np.asarray(ids, np.int64), np.asarray(stamps, np.int64)
        order = np.argsort(id_arr, kind="stable")
        return id_arr[order], stamp_arr[order]

    def drop(self) -> None:
        """Delete this model's collection (the catalog and the local index are untouched)."""
        with self._guard(N_("Could not drop a collection on {where}")):
            if self._client.has_collection(self.collection):
                self._client.drop_collection(self.collection)

    def __len__(self) -> int:
        with self._guard(N_("Could not read {where}")):
            stats = self._client.get_collection_stats(self.collection)
        return int(stats.get("row_count", 0))

    # -- searching ----------------------------------------------------------------------------

    def search(self, vector: np.ndarray, k: int, filters: SearchFilters | None = None,
               only: Sequence[int] | None = None, cameras: Sequence[str] | None = None
               ) -> tuple[np.ndarray, np.ndarray]:
        """(ids, cosine scores) of the ``k`` nearest published photos passing ``filters`` and
        among ``only``, best first; the filters run inside the server (``cameras``: the camera
        filter resolved to exact names, :func:`filter_expression`)."""
        expr = filter_expression(filters, only, cameras)
        if expr is None or k <= 0:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        with self._guard(N_("Could not search {where}")):
            if not self._client.has_collection(self.collection):
                raise VectorStoreError(
                    _("Nothing is published on {where} for this model yet. Run "
                      "`photosearch publish` on the machine that indexes the library.").format(
                        where=self._where()))
            result = self._client.search(
                self.collection, data=[np.asarray(vector, np.float32).tolist()],
                limit=min(k, 16384), filter=expr, output_fields=["id"],
                search_params={"metric_type": "IP", "params": {"ef": max(SEARCH_EF, k)}})
        hits = result[0] if result else []
        ids = np.fromiter((int(h["id"]) for h in hits), np.int64, len(hits))
        scores = np.fromiter((float(h["distance"]) for h in hits), np.float32, len(hits))
        return ids, scores

    def background_sample(self, sample_ids: Callable[[], Sequence[int]]) -> np.ndarray:
        """Published vectors of a random sample of photos (``sample_ids`` draws candidate
        ids), for the relevance cut-off; drawn once per connection."""
        if self._sample is None:
            ids = [int(i) for i in sample_ids()]
            rows: list[Any] = []
            with self._guard(N_("Could not read {where}")):
                for batch in chunks(ids, PUBLISH_BATCH):
                    rows.extend(self._client.get(self.collection, ids=batch,
                                                 output_fields=["vector"]) or [])
            vecs = np.asarray([r["vector"] for r in rows], np.float32).reshape(-1, self.dim)
            self._sample = vecs[:BACKGROUND_SAMPLE]
        return self._sample

    def close(self) -> None:
        """Close the connection."""
        try:
            self._client.close()
        except Exception:
            log.debug("closing the Milvus client failed", exc_info=True)

    def _where(self) -> str:
        if self.uri.kind == "server":
            return _("the Milvus server {address}").format(address=self.uri.address)
        return _("the Milvus Lite file {address}").format(address=self.uri.address)


def _secret_parts(creds: Credentials | None) -> list[str]:
    """The strings that must never be shown: the token and, for user:password, both parts
    that are long enough to be secrets."""
    if creds is None:
        return []
    parts = [creds.token]
    if ":" in creds.token:
        _user, password = creds.token.split(":", 1)
        parts.append(password)
    return sorted((p for p in parts if len(p) >= 4), key=len, reverse=True)


def _entity(row: PublishedRow) -> dict[str, Any]:
    return {"id": row.id, "vector": row.vector.tolist(), "stamp": row.stamp,
            "taken_day": row.taken_day, "camera": row.camera[:500],
            "dirs": ancestor_keys(row.path), "places": [p[:200] for p in row.places]}


def _literal(text: str) -> str:
    """A string literal for a Milvus expression."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def filter_expression(filters: SearchFilters | None,
                      only: Sequence[int] | None = None,
                      cameras: Sequence[str] | None = None) -> str | None:
    """The Milvus boolean expression for ``filters`` (and ``only``), "" for none; None when
    nothing can pass (an empty ``only``).

    The camera filter is a substring of "make model": LIKE's ``_`` cannot be escaped in every
    Milvus, so the caller may resolve it to the exact camera names first (``cameras``)."""
    clauses: list[str] = []
    if only is not None:
        if not only:
            return None
        clauses.append(f"id in [{','.join(str(int(i)) for i in only)}]")
    if filters is not None:
        if filters.folder is not None:
            folder = str(filters.folder).rstrip("/\\") or str(filters.folder)
            clauses.append(f"ARRAY_CONTAINS(dirs, {folder_key(folder)})")
        if filters.after is not None:
            clauses.append(f"taken_day >= {filters.after.toordinal()}")
        if filters.before is not None:
            clauses.append(f"(taken_day > 0 and taken_day < {filters.before.toordinal()})")
        if cameras is not None:
            if not cameras:
                return None
            clauses.append(f"camera in [{','.join(_literal(c) for c in cameras)}]")
        elif filters.camera:
            needle = _ascii_lower(filters.camera).replace("\\", "\\\\").replace("%", "\\%")
            clauses.append(f"camera like {_literal('%' + needle + '%')}")
        if filters.places:
            names = ",".join(_literal(_ascii_lower(p)) for p in filters.places)
            clauses.append(f"ARRAY_CONTAINS_ANY(places, [{names}])")
    return " and ".join(clauses)

