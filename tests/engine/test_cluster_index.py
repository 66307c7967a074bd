"""Indexing on a real local Ray cluster (``photosearch index --ray``) gives the local index:
the same photos, the same failures, vectors within cosine 0.9999; cancel and a bad address
are clean. Marked ``cluster``: it starts a Ray head (about 5 s) and the workers load the demo
model."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("ray", reason="pip install 'photosearch[archive]'")

from ray_cluster import local_ray_cluster  # noqa: E402

from engine.api import ClusterOptions, Library  # noqa: E402
from engine.errors import Cancelled  # noqa: E402
from engine.ingest.cluster import ClusterError, map_path, parse_path_map  # noqa: E402

pytestmark = pytest.mark.cluster


@pytest.fixture(scope="module")
def ray_address() -> Iterator[str]:
    with local_ray_cluster(cpus=2) as address:
        yield address


def _options(address: str, **kwargs: object) -> ClusterOptions:
    # Two model replicas on two CPUs: fractions, or the read tasks never get a CPU.
    return ClusterOptions(address, replicas=2, cpus_per_replica=0.5, cpus_per_read=0.25,
                          batch_size=8, **kwargs)  # type: ignore[arg-type]


def _vectors(lib: Library) -> dict[str, np.ndarray]:
    model_id = lib.encoder.spec.model_id
    ids, vecs = lib.catalog.searchable_vectors(model_id, lib.encoder.dim)
    rows = lib.catalog.photo_rows([int(i) for i in ids])
    return {Path(rows[int(i)][1]).name: v for i, v in zip(ids, vecs, strict=True)}


@pytest.fixture(autouse=True)
def _torch_runtime(monkeypatch: pytest.MonkeyPatch) -> None:
    """PyTorch fp32 here and on the workers: the ONNX runtime's int8 image tower quantizes
    activations per batch, so its vectors depend on which photos share a batch (cosine about
    0.9996 between two batchings, locally as on a cluster)."""
    monkeypatch.setenv("PHOTOSEARCH_RUNTIME", "torch")


def test_cluster_index_equals_local_index(tmp_path: Path, small_photos: Path, ray_address: str,
                                          open_library) -> None:  # type: ignore[no-untyped-def]
    photos = small_photos
    (photos / "broken.jpg").write_bytes(b"not a jpeg at all")
    local = open_library(tmp_path / "local")
    local.add_folder(photos)
    local_report = local.index(background=False).result(timeout=300)

    # A run cancelled part way: whole batches are committed, the rest never ran.
    remote = open_library(tmp_path / "remote")
    remote.add_folder(photos)
    job = None

    def cancel_after_a_batch(p: object) -> None:
        if getattr(p, "phase", "") == "embedding" and getattr(p, "done", 0) >= 8:
            assert job is not None
            job.cancel()

    job = remote.index_on_cluster(_options(ray_address), cancel_after_a_batch,
                                  background=False)
    with pytest.raises(Cancelled):
        job.result(timeout=600)
    model_id, dim = remote.encoder.spec.model_id, remote.encoder.dim
    first = len(remote.catalog.searchable_vectors(model_id, dim)[0])
    written = remote.catalog._query("SELECT COUNT(*) FROM photos")[0][0]
    assert 8 <= written < 21 and first < 20  # the broken file may be in the first batch

    # A photo of the first batch moves meanwhile: the worker's hash finds it, it keeps its id.
    committed = remote.catalog.photo_rows(
        [int(i) for i in remote.catalog.searchable_vectors(model_id, dim)[0]])
    moved_id, moved_row = next(iter(committed.items()))
    name = Path(moved_row[1]).name
    (photos / "sub").mkdir()
    shutil.move(photos / name, photos / "sub" / name)

    # The next run does the rest: the same photos, failures and vectors as the local index.
    progress = []
    report = remote.index_on_cluster(_options(ray_address), progress.append,
                                     background=False).result(timeout=600)
    assert local_report.embedded == 20 and report.embedded == 20 - first
    assert report.reused == 1 and report.removed == 0
    assert remote.catalog.photo_id_for_path(str(photos.resolve() / "sub" / name)) == moved_id
    assert local_report.failed == 1
    failures = {f.path.name: f.reason for f in remote.failures()}
    assert failures == {f.path.name: f.reason for f in local.failures()}
    assert list(failures) == ["broken.jpg"]
    assert any(p.phase == "embedding" and p.total == 22 - written for p in progress)
    mine, theirs = _vectors(remote), _vectors(local)
    assert set(mine) == set(theirs) and len(mine) == 20
    cosines = [float(mine[n] @ theirs[n]) for n in mine]
    assert min(cosines) >= 0.9999
    q = "a red circle"
    assert ([h.path.name for h in remote.search(q, k=5, cut_off=False, rerank=False)]
            == [h.path.name for h in local.search(q, k=5, cut_off=False, rerank=False)])


def test_an_unreachable_cluster_is_a_clear_error(tmp_path: Path, small_photos: Path,
                                                 open_library) -> None:  # type: ignore[no-untyped-def]
    lib = open_library(tmp_path / "home")
    lib.add_folder(small_photos)
    with pytest.raises(ClusterError, match="never starts or guesses"):
        lib.index_on_cluster(ClusterOptions("auto"), background=False).result(timeout=60)
    assert lib.status().indexed == 0


def test_workers_record_per_file_failures_and_refuse_another_model(small_photos: Path) -> None:
    """The two worker stages in this process: a broken file carries its reason, a good one
    its hash and pixels; a worker whose model is not the library's refuses to start."""
    import pandas as pd

    from engine.ingest.cluster import EmbedBatch, read_batch
    from engine.media import imaging

    (small_photos / "broken.jpg").write_bytes(b"not a jpeg at all")
    good = sorted(small_photos.glob("*.png")) + sorted(small_photos.glob("*.jpg"))
    good = [p for p in good if p.name != "broken.jpg"][:1]
    paths = [str(small_photos / "broken.jpg"), str(good[0]), str(small_photos / "gone.jpg")]
    out = read_batch(pd.DataFrame({"i": [0, 1, 2], "path": paths}), 64)
    assert out["error"][0] == "not an image file" and out["hash"][0] == ""
    assert out["error"][1] == "" and out["hash"][1] == imaging.content_hash(good[0])
    assert out["error"][2] and out["payload"][2] == b""
    with pytest.raises(ClusterError, match="same PhotoSearch and model files"):
        EmbedBatch("demo", "local:demo-clip:not-this-one", "cpu", "torch", 1)


def test_path_mapping() -> None:
    pairs = parse_path_map(["/srv/photos=/mnt/nas/photos"])
    assert map_path("/srv/photos/2021/a.jpg", pairs) == "/mnt/nas/photos/2021/a.jpg"
    assert map_path("/srv/photos2/a.jpg", pairs) == "/srv/photos2/a.jpg"
    with pytest.raises(ClusterError):
        parse_path_map(["no-equals-sign"])
