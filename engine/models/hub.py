"""Model downloads from the Hugging Face Hub, failing fast when the Hub is out of reach.

Offline, huggingface_hub retries each request with back-off for about a minute before it gives
up. :func:`hub_access` probes the Hub once (a DNS lookup and a TCP connect, a few seconds at
most) and, if it cannot be reached, runs the load in offline mode: weights already in the cache
still load, missing ones fail at once, and the caller explains what to do.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlparse

log = logging.getLogger(__name__)

PROBE_TIMEOUT_S = 3.0
_lock = threading.Lock()
_reachable: bool | None = None


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
