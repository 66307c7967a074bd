"""The Hub endpoint setting: every model download goes to the address the user set (a mirror
where huggingface.co is blocked), and a Hub out of reach is explained naming that address.

Two local fake Hubs stand in: the "default" one that huggingface_hub is pointed at (as if it
were huggingface.co) and a mirror at another port under a path; a test passes only if the
default one was never asked for anything.
"""

from __future__ import annotations

import socket
import uuid
from pathlib import Path

import pytest
from fake_hub import fake_hub, serve
from tiny_multilingual import build_tiny_xlmr_clip

from engine.api import Library, ModelProgress
from engine.cli import main
from engine.errors import EngineError, ModelUnavailableError
from engine.models import hub
from engine.store.paths import demo_model_dir


@pytest.fixture(autouse=True)
def _forget_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    # The endpoint is process state: whatever a test sets is undone with the monkeypatch.
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "ENDPOINT", constants.ENDPOINT)
    monkeypatch.setattr(constants, "HUGGINGFACE_CO_URL_TEMPLATE",
                        constants.HUGGINGFACE_CO_URL_TEMPLATE)
    monkeypatch.setattr(hub, "_reachable", hub._reachable)
    monkeypatch.setattr(hub, "_original", None)
    monkeypatch.delenv("HF_ENDPOINT", raising=False)
    monkeypatch.setenv("PHOTOSEARCH_RUNTIME", "torch")


def test_the_setting_sends_model_text_tower_and_tokenizer_downloads_to_the_mirror(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tag = uuid.uuid4().hex[:8]
    model_repo, text_repo = f"photosearch-test/clip-{tag}", f"photosearch-test/text-{tag}"
    folder = build_tiny_xlmr_clip(tmp_path / "served", text_repo)
    with fake_hub(folder, tmp_path / "hf", monkeypatch) as default, \
            serve(folder, prefix="mirror/hf") as mirror:
        library = Library.open(home=tmp_path / "home", model=f"hf-hub:{model_repo}",
                               device="cpu")
        library.update_settings(hub_endpoint=mirror.url + "/")  # stored without the slash
        assert library.settings.hub_endpoint == mirror.url
        assert library.hub_endpoint == mirror.url
        seen: list[ModelProgress] = []
        library.load_model(on_progress=seen.append).result(timeout=120)
        assert library.embed_texts(["海边的两只狗"]).shape == (1, 32)
        got = {(repo, name) for method, repo, name in mirror.requests if method == "GET"}
        assert {(model_repo, "open_clip_model.safetensors"), (text_repo, "config.json"),
                (text_repo, "tokenizer.json")} <= got
        assert default.requests == []  # the default endpoint was never contacted
        library.close()
        # A library opened later in the process (the setting is stored) uses it too.
        again = Library.open(home=tmp_path / "home")
        assert again.hub_endpoint == mirror.url
        again.close()


def test_hf_endpoint_env_and_the_cli_flag_route_the_matcher_download(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = demo_model_dir().parent / "demo-matcher"
    repo = f"photosearch-test/matcher-{uuid.uuid4().hex[:8]}"
    with fake_hub(folder, tmp_path / "hf", monkeypatch) as default, \
            serve(folder, prefix="env-mirror") as mirror:
        monkeypatch.setenv("HF_ENDPOINT", mirror.url)
        library = Library.open(home=tmp_path / "home", model="demo", device="cpu",
                               matcher=repo)
        library.load_matcher(on_progress=lambda p: None).result(timeout=120)
        assert library.matcher_ready
        assert "model.safetensors" in mirror.gets and default.requests == []
        library.close()
    with serve(folder, prefix="flag") as flagged:
        # The flag beats the environment; `settings` shows what is stored.
        assert main(["--home", str(tmp_path / "home"), "--hub-endpoint", flagged.url,
                     "settings", "hub_endpoint"]) == 0
        assert hub.current_endpoint() == flagged.url


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_an_unreachable_endpoint_is_named_with_how_to_change_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path / "hf" / "hub"))
    monkeypatch.setattr(hub, "_reachable", None)
    nowhere = f"http://127.0.0.1:{_closed_port()}/blocked"
    library = Library.open(home=tmp_path / "home",
                           model=f"hf-hub:photosearch-test/{uuid.uuid4().hex[:8]}",
                           device="cpu", hub_endpoint=nowhere)
    with pytest.raises(ModelUnavailableError) as caught:
        library.load_model(on_progress=lambda p: None).result(timeout=60)
    error = caught.value
    assert error.reason == ModelUnavailableError.OFFLINE and error.endpoint == nowhere
    assert f"PhotoSearch downloads models from {nowhere}" in error.user_message
    assert "--hub-endpoint https://hf-mirror.com" in error.user_message
    assert "HF_ENDPOINT" in error.user_message
    library.close()


def test_a_malformed_endpoint_is_refused_with_an_example(tmp_path: Path) -> None:
    library = Library.open(home=tmp_path / "home", model="demo")
    with pytest.raises(EngineError, match="hf-mirror.com"):
        library.update_settings(hub_endpoint="hf-mirror")
    assert library.settings.hub_endpoint == ""
    library.close()


def test_the_long_lived_hub_api_objects_follow_the_endpoint() -> None:
    """huggingface_hub's module-level HfApi and transformers' shared one (tokenizer loading
    lists a repository through it) keep the endpoint they were made with: a mirror must reach
    them too."""
    from huggingface_hub import constants, hf_api
    from transformers.utils import hub as transformers_hub

    from engine.models.hub import use_endpoint

    before = constants.ENDPOINT
    shared = transformers_hub.hf_api()
    stale = "http://127.0.0.1:9/stale"  # as if made while another address was current
    hf_api.api.endpoint = shared.endpoint = stale
    try:
        use_endpoint("https://hf-mirror.example")
        assert hf_api.api.endpoint == shared.endpoint == "https://hf-mirror.example"
        use_endpoint(None)
        assert hf_api.api.endpoint == shared.endpoint == before == constants.ENDPOINT
    finally:
        use_endpoint(None)
        hf_api.api.endpoint = shared.endpoint = constants.ENDPOINT
