"""Model downloads from the Hugging Face Hub, failing fast when the Hub is out of reach.

Offline, huggingface_hub retries each request with back-off for about a minute before it gives
up. :func:`hub_access` probes the Hub once (a DNS lookup and a TCP connect, a few seconds at
most) and, if it cannot be reached, runs the load in offline mode: weights already in the cache
still load, missing ones fail at once, and the caller explains what to do.

The Hub's address is a setting: where huggingface.co cannot be reached (in mainland China, for
one), a mirror serving the same paths (e.g. https://hf-mirror.com) works instead.
:func:`use_endpoint` points every download of this process at it: the CLIP model, its tokenizer
and text tower, and the matcher all go through huggingface_hub, which reads the endpoint from its
``constants`` module at call time.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlparse

from engine.errors import EngineError
from engine.i18n import _

log = logging.getLogger(__name__)

PROBE_TIMEOUT_S = 3.0
DEFAULT_ENDPOINT = "https://huggingface.co"
MIRROR_EXAMPLE = "https://hf-mirror.com"
_lock = threading.Lock()
_reachable: bool | None = None
_original: tuple[str, str] | None = None  # huggingface_hub's own endpoint, before we set one


def resolve_endpoint(explicit: str | None, setting: str | None) -> str | None:
    """The Hub endpoint asked for: an argument (``--hub-endpoint``), then ``$HF_ENDPOINT``, then
    the ``hub_endpoint`` setting; None when none is set (huggingface_hub's default)."""
    for value in (explicit, os.environ.get("HF_ENDPOINT"), setting):
        if value and value.strip():
            return check_endpoint(value)
    return None


def check_endpoint(value: str) -> str:
    """``value`` as an endpoint URL (no trailing slash); an EngineError if it is not one."""
    url = value.strip().rstrip("/")
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise EngineError(
            _("'{value}' is not a Hugging Face Hub address. Give a URL such as "
              "{endpoint} or a mirror like {mirror}.").format(
                value=value, endpoint=DEFAULT_ENDPOINT, mirror=MIRROR_EXAMPLE))
    return url


def use_endpoint(endpoint: str | None) -> None:
    """Point huggingface_hub's downloads (and the reachability probe) at ``endpoint``; None
    puts back huggingface_hub's own endpoint (``$HF_ENDPOINT`` at its import, or the Hub)."""
    global _original, _reachable
    if endpoint is None and _original is None:
        return  # nothing to put back; and a cold search must not import huggingface_hub
    from huggingface_hub import constants

    with _lock:
        if endpoint is None:
            if _original is None:
                return
            constants.ENDPOINT, constants.HUGGINGFACE_CO_URL_TEMPLATE = _original
            _sync_default_api(constants.ENDPOINT)
            _original = None
            _reachable = None
            return
        if _original is None:
            _original = (constants.ENDPOINT, constants.HUGGINGFACE_CO_URL_TEMPLATE)
        if endpoint != constants.ENDPOINT:
            constants.ENDPOINT = endpoint
            constants.HUGGINGFACE_CO_URL_TEMPLATE = (
                endpoint + "/{repo_id}/resolve/{revision}/{filename}")
            _reachable = None  # a new address: probe again
            log.info("Hugging Face Hub endpoint: %s", endpoint)
        _sync_default_api(endpoint)


def _sync_default_api(endpoint: str) -> None:
    """Point the long-lived ``HfApi`` objects at ``endpoint`` too.

    File downloads read ``constants.ENDPOINT`` on every call, but two ``HfApi`` objects keep the
    endpoint of the moment they were made: huggingface_hub's module-level one (behind
    ``list_repo_tree`` and the other top-level functions) and the one transformers makes on its
    first Hub call (``transformers.utils.hub.hf_api()``, through which tokenizer loading lists a
    repository's chat templates). Left alone, a tokenizer load would still ask huggingface.co
    (or whichever address was current then) while the weights come from the mirror.
    """
    import sys

    for module_name, attribute in (("huggingface_hub.hf_api", "api"),
                                   ("transformers.utils.hub", "_hf_api")):
        module = sys.modules.get(module_name)
        instance = getattr(module, attribute, None) if module is not None else None
        if instance is not None:
            instance.endpoint = endpoint


def current_endpoint() -> str:
    """The endpoint downloads use now."""
    from huggingface_hub import constants

    return str(constants.ENDPOINT).rstrip("/")


def endpoint_advice() -> str:
    """What to say when the Hub cannot be reached: where we tried and how to change it."""
    return _(
        "PhotoSearch downloads models from {endpoint}. If that address is blocked where you "
        "are, use a mirror: `photosearch --hub-endpoint {mirror} ...`, the HF_ENDPOINT "
        "environment variable, or the hub_endpoint setting (Settings in the app)."
    ).format(endpoint=current_endpoint(), mirror=MIRROR_EXAMPLE)


def offline_requested() -> bool:
    """Whether the user asked for no network (``HF_HUB_OFFLINE`` or ``TRANSFORMERS_OFFLINE``)."""
    from huggingface_hub import constants

    return bool(constants.HF_HUB_OFFLINE) or any(
        os.environ.get(v, "").lower() in ("1", "true", "yes", "on")
        for v in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"))


def hub_reachable() -> bool:
    """Whether the Hub answers a TCP connect, DNS included, within :data:`PROBE_TIMEOUT_S`
    (probed once per process; the CLIP model and the matcher share the answer)."""
    global _reachable
    with _lock:
        if _reachable is None:
            from huggingface_hub import constants

            url = urlparse(constants.ENDPOINT)
            host, port = url.hostname or "huggingface.co", url.port or 443
            answer: list[bool] = []

            def probe() -> None:  # on a thread: a DNS lookup ignores socket timeouts
                try:
                    with socket.create_connection((host, port), timeout=PROBE_TIMEOUT_S):
                        answer.append(True)
                except OSError as exc:
                    log.info("the Hugging Face Hub (%s) is out of reach: %s", host, exc)
                    answer.append(False)

            thread = threading.Thread(target=probe, daemon=True, name="hub-probe")
            thread.start()
            thread.join(PROBE_TIMEOUT_S + 0.5)
            _reachable = bool(answer and answer[0])
        return _reachable


@contextmanager
def hub_access() -> Iterator[bool]:
    """Run a model load online if the Hub is reachable, else in offline mode (cache only).

    Yields whether the Hub is reachable.
    """
    from huggingface_hub import constants

    if offline_requested():
        yield False
        return
    if hub_reachable():
        yield True
        return
    previous = constants.HF_HUB_OFFLINE
    constants.HF_HUB_OFFLINE = True
    try:
        yield False
    finally:
        constants.HF_HUB_OFFLINE = previous
