"""The second stage: fusion safety, the feature cache, the matcher interface, missing weights,
and the compositional proof (two-stage text->image R@1 beats the dual encoder by 20 points)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from conftest import DemoSet

from engine.api import Library
from engine.errors import InvalidModelSpecError, ModelUnavailableError
from engine.models.matcher import BlipMatcher, image_to_pixels, parse_matcher_spec, sigmoid
from engine.search.second_stage import FusionPolicy, default_rerank_k, fuse

LOGIT = {p: float(np.log(p / (1 - p))) for p in (0.01, 0.05, 0.1, 0.3, 0.5, 0.6, 0.9, 0.99)}


# -- fusion -----------------------------------------------------------------------------------


def test_near_ties_are_decided_by_the_matcher() -> None:
    first = np.array([0.310, 0.305, 0.300])  # compositional twins: the dual encoder can't tell
    order, _ = fuse(first, np.array([LOGIT[0.01], LOGIT[0.05], LOGIT[0.99]]))
    assert order.tolist() == [2, 1, 0]


def test_the_top_hit_stays_first_unless_the_matcher_is_confident() -> None:
    first = np.array([0.32, 0.31, 0.30])
    # The matcher mildly prefers another candidate, but does not reject the top hit.
    order, _ = fuse(first, np.array([LOGIT[0.3], LOGIT[0.99], LOGIT[0.5]]))
    assert order[0] == 0
    # It rejects the top hit and confidently accepts another one: the top hit may move, to
    # where its fused score puts it (here behind an undecided candidate too).
    order, _ = fuse(first, np.array([LOGIT[0.01], LOGIT[0.99], LOGIT[0.5]]))
    assert order.tolist() == [1, 2, 0]


def test_a_confident_matcher_cannot_bury_the_top_hit() -> None:
    first = np.array([0.30, 0.299, 0.298, 0.297, 0.296, 0.295])
    log_odds = np.array([LOGIT[0.01]] + [LOGIT[0.99]] * 5)
    order, _ = fuse(first, log_odds, FusionPolicy(keep_within=3))
    assert order.tolist().index(0) == 2


def test_a_clear_first_stage_lead_is_never_overturned() -> None:
    policy = FusionPolicy(first_scale=100.0)
    lead = policy.unbeatable_lead + 1e-3
    first = np.array([0.40, 0.40 - lead, 0.40 - lead - 0.001])
    rng = np.random.default_rng(0)
    for _ in range(200):
        log_odds = rng.uniform(-50, 50, 3)
        log_odds[0] = -50.0  # the worst verdict for the clear winner
        order, _ = fuse(first, log_odds, policy)
        assert order[0] == 0


def test_keyword_hits_stay_in_front_and_unknown_verdicts_are_neutral() -> None:
    first = np.array([0.20, 0.35, 0.34, 0.33])
    log_odds = np.array([LOGIT[0.01], LOGIT[0.5], np.nan, LOGIT[0.9]])
    order, fused = fuse(first, log_odds, pinned=[True, False, False, False])
    assert order[0] == 0  # an exact caption match, whatever the matcher says
    assert sorted(order.tolist()) == [0, 1, 2, 3]
    assert np.isfinite(fused).all()


def test_fuse_handles_empty_and_single_lists() -> None:
    assert fuse(np.zeros(0), np.zeros(0))[0].tolist() == []
    assert fuse(np.array([0.3]), np.array([LOGIT[0.01]]))[0].tolist() == [0]


# -- the matcher interface ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def random_matcher() -> BlipMatcher:
    """A tiny BLIP ITM model with random weights (no files)."""
    import torch
    from transformers import BertTokenizer, BlipConfig, BlipForImageTextRetrieval

    torch.manual_seed(0)
    words = ["a", "red", "blue", "circle", "square", "left", "of", "dog"]
    tokenizer = BertTokenizer(vocab={t: i for i, t in enumerate(
        ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *words])})
    config = BlipConfig(
        text_config={"vocab_size": 13, "hidden_size": 32, "encoder_hidden_size": 32,
                     "intermediate_size": 64, "num_hidden_layers": 1, "num_attention_heads": 2},
        vision_config={"hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 1,
                       "num_attention_heads": 2, "image_size": 32, "patch_size": 16,
                       "initializer_range": 0.02})
    return BlipMatcher.from_model(BlipForImageTextRetrieval(config), tokenizer,
                                  matcher_id="random-tiny", device="cpu")


def test_matcher_scores_probabilities_and_broadcasts(random_matcher: BlipMatcher) -> None:
    from PIL import Image

    images = [Image.new("RGB", (50, 40), c) for c in ("red", "blue", "white")]
    probs = random_matcher.score(images, "a red circle left of a blue square")
    assert probs.shape == (3,) and ((probs > 0) & (probs < 1)).all()
    feats = random_matcher.encode_images(images)
    assert random_matcher.images_encoded == 6
    assert feats[0].dtype == np.float16 and feats[0].shape == (5, 32)  # CLS + 2x2 patches
    one_image = random_matcher.match(feats[:1], ["a red circle", "a blue square", "a dog"])
    pairwise = random_matcher.match(feats[:1] * 3, ["a red circle", "a blue square", "a dog"])
    np.testing.assert_allclose(one_image, pairwise, atol=1e-5)
    np.testing.assert_allclose(sigmoid(random_matcher.match(feats, ["a red circle left of a "
                                                                    "blue square"])), probs,
                               atol=1e-5)
    with pytest.raises(ValueError):
        random_matcher.match(feats, ["a", "b"])


def test_preprocessing_matches_blip_image_processor() -> None:
    from PIL import Image

    try:
        from transformers import BlipImageProcessorPil as Processor
    except ImportError:  # older transformers: the slow processor is the PIL one
        from transformers import BlipImageProcessor as Processor
    rng = np.random.default_rng(1)
    image = Image.fromarray(rng.integers(0, 255, (70, 90, 3), dtype=np.uint8))
    ours = image_to_pixels(image, 48)
    theirs = Processor(size={"height": 48, "width": 48})(image, return_tensors="np")
    np.testing.assert_allclose(ours, theirs["pixel_values"][0], atol=1e-4)


def test_a_cancelled_rerank_stops_between_chunks_and_keeps_what_it_encoded(
        random_matcher: BlipMatcher) -> None:
    from PIL import Image

    from engine.errors import Cancelled
    from engine.jobs import CancelToken
    from engine.search.second_stage import Candidate, FeatureCache, SecondStage

    token = CancelToken()
    loads = []

    def load(i: int) -> Image.Image:
        loads.append(i)
        if i == 0:
            token.cancel()  # the user typed a new query while the first photo was decoding
        return Image.new("RGB", (40, 40), (i, 0, 0))

    cache = FeatureCache()
    stage = SecondStage(random_matcher, cache)
    candidates = [Candidate(f"c{i}", lambda i=i: load(i)) for i in range(64)]
    before = random_matcher.images_encoded
    with pytest.raises(Cancelled):
        stage.text_against_images("a red circle", candidates, token)
    encoded = random_matcher.images_encoded - before
    assert encoded in (0, random_matcher.encode_chunk)  # at most the chunk in flight
    cached = [c.key for c in candidates if cache.get(random_matcher.matcher_id, c.key) is not None]
    assert len(cached) == encoded  # what was encoded is not lost
    # Uncancelled, the same stage finishes and encodes only what it lacks.
    log_odds = stage.text_against_images("a red circle", candidates)
    assert np.isfinite(log_odds).all()
    assert random_matcher.images_encoded - before == 64


def test_matcher_specs() -> None:
    assert parse_matcher_spec("Salesforce/blip-itm-base-coco").repo == (
        "Salesforce/blip-itm-base-coco")
    assert parse_matcher_spec("demo").local_dir is not None
    assert parse_matcher_spec("local-dir:/x/y").local_dir == Path("/x/y").resolve()
    for bad in ("", "blip", "a/b/c"):
        with pytest.raises(InvalidModelSpecError):
            parse_matcher_spec(bad)


# -- missing weights ------------------------------------------------------------------------------


def test_missing_hub_weights_fail_fast_with_the_next_step(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    matcher = BlipMatcher(parse_matcher_spec("photosearch-tests/no-such-matcher"), "cpu")
    with pytest.raises(ModelUnavailableError) as err:
        matcher.load()
    message = err.value.user_message
    assert "photosearch-tests/no-such-matcher" in message
    assert "--matcher local-dir:" in message and "without --rerank" in message


def test_unreachable_hub_is_detected_without_hanging(monkeypatch: pytest.MonkeyPatch) -> None:
    from engine.models import hub

    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setattr(hub, "hub_reachable", lambda: False)
    with pytest.raises(ModelUnavailableError, match="not on this computer"):
        BlipMatcher(parse_matcher_spec("photosearch-tests/no-such-matcher"), "cpu").load()


def test_missing_local_matcher_folder(tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailableError, match="does not exist"):
        BlipMatcher(parse_matcher_spec(f"local-dir:{tmp_path / 'nope'}"), "cpu").load()
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelUnavailableError, match="config.json"):
        BlipMatcher(parse_matcher_spec(f"local-dir:{tmp_path / 'empty'}"), "cpu").load()


def test_search_with_rerank_explains_a_missing_matcher(
        open_library: Callable[..., Library], small_photos: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    from engine.cli import main

    lib = open_library()
    lib.add_folder(small_photos)
    lib.index().result(timeout=300)
    home = lib.home
    code = main(["--home", str(home), "--model", "demo", "--device", "cpu", "--matcher",
                 "photosearch-tests/no-such-matcher", "search", "a red circle", "--rerank"])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1 and "not on this computer" in err
    # Without --rerank the same search works offline.
    assert main(["--home", str(home), "--model", "demo", "--device", "cpu", "--matcher",
                 "photosearch-tests/no-such-matcher", "search", "a red circle",
                 "--no-rerank"]) == 0


# -- the demo matcher through the library -------------------------------------------------------


@pytest.fixture
def demo_library(open_library: Callable[..., Library], small_photos: Path) -> Library:
    lib = open_library()
    lib.add_folder(small_photos)
    lib.index().result(timeout=300)
    return lib


def test_demo_matcher_is_small_and_reranks_search_results(demo_library: Library,
                                                          demo: DemoSet) -> None:
    folder = Path(__file__).resolve().parents[2] / "resources/models/demo-matcher"
    size = sum(p.stat().st_size for p in folder.iterdir())
    assert size < 8_000_000
    caption = demo.captions[demo.names[4]][0]
    first = demo_library.search(caption, k=10, rerank=False, cut_off=False)
    both = demo_library.search(caption, k=10, rerank=True, cut_off=False)
    assert {h.photo_id for h in both} == {h.photo_id for h in first}
    assert all(h.match_probability is not None and 0 < h.match_probability < 1 for h in both)
    assert demo.names[4] in [h.path.name for h in both[:3]]
    assert demo_library.rerank_k == default_rerank_k(demo_library._reranker.matcher()) == 50


def test_second_rerank_of_the_same_photos_skips_the_image_tower(
        demo_library: Library, demo: DemoSet) -> None:
    hits = demo_library.search("a red circle left of a blue square", k=10, rerank=False,
                               cut_off=False)
    stage = demo_library._reranker.stage()
    matcher = stage.matcher.load()
    before = matcher.images_encoded
    first = demo_library.rerank("a red circle left of a blue square", hits)
    assert matcher.images_encoded - before == len(hits)
    again = demo_library.rerank("a blue square above a red circle", hits)  # refined query
    assert matcher.images_encoded - before == len(hits)  # nothing encoded the second time
    assert {h.photo_id for h in again} == {h.photo_id for h in first}
    # A new session finds the features on disk (under the library folder).
    stage.cache.clear_memory()
    demo_library.rerank("two stars", hits)
    assert matcher.images_encoded - before == len(hits)
    assert any((demo_library.home / "cache" / "matcher").rglob("*.npy"))


def test_the_matcher_loads_in_the_background(tmp_path: Path) -> None:
    lib = Library.open(home=tmp_path / "home", model="demo", device="cpu")
    try:
        assert not lib.matcher_ready  # lazily: nothing is loaded by opening a library
        steps: list = []
        description = lib.load_matcher(on_progress=steps.append).result(timeout=120)
        assert "demo-matcher" in description and lib.matcher_ready
        assert [(p.phase, p.model) for p in steps] == [("load", "demo")]  # nothing downloaded
    finally:
        lib.close()


def test_describe_with_rerank(demo_library: Library, demo: DemoSet) -> None:
    hits = demo_library.describe(demo.folder / demo.names[2], k=5, rerank=True)
    assert len(hits) == 5 and all(h.match_probability is not None for h in hits)
    # The status names the runtime of the matcher's image tower (ONNX Runtime on the CPU).
    tower = demo_library.status().fidelity["matcher_image"]
    assert tower["runtime"] == "onnx fp32" and tower["min_cosine"] >= 0.999


# -- the compositional proof ----------------------------------------------------------------------


@pytest.mark.slow
def test_two_stage_search_beats_the_dual_encoder_on_the_compositional_split(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Through ``photosearch eval --rerank`` on 40 groups (120 images, 600 captions)."""
    from engine.cli import main

    data = tmp_path / "data"
    assert main(["demo-data", str(data), "--test", "0", "--compositional", "40"]) == 0
    capsys.readouterr()
    code = main(["--home", str(tmp_path / "home"), "--model", "demo", "--device", "cpu",
                 "eval", str(data / "dataset.json"), "--images", str(data), "--split",
                 "compositional", "--rerank", "--json"])
    assert code == 0
    result = json.loads(capsys.readouterr().out)
    dual, two_stage = result["t2i"]["R@1"], result["rerank"]["t2i"]["R@1"]
    print(f"compositional t2i R@1: dual {dual:.3f}, two-stage {two_stage:.3f}")
    assert two_stage - dual >= 0.20
    assert os.environ.get("HF_HUB_OFFLINE") == "1"  # nothing was fetched
