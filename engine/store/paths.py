"""Where the library, caches and bundled resources live.

``PHOTOSEARCH_HOME`` (or ``--home``) overrides the library location; otherwise platformdirs picks
the platform's standard data folder.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "PhotoSearch"


def default_home() -> Path:
    """The library folder: ``$PHOTOSEARCH_HOME`` if set, else the platform's user data dir."""
    env = os.environ.get("PHOTOSEARCH_HOME")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def cache_dir() -> Path:
    """The per-user cache folder (thumbnails and other rebuildable data)."""
    from platformdirs import user_cache_path

    return user_cache_path(APP_NAME, appauthor=False)


def resources_dir() -> Path:
    """The bundled ``resources/`` folder, in a source checkout and in a PyInstaller bundle."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def demo_model_dir() -> Path:
    """The tiny CLIP model shipped with the repo (``--model demo``)."""
    return resources_dir() / "models" / "demo-clip"


def demo_multilingual_model_dir() -> Path:
    """The tiny multilingual CLIP model shipped with the repo (``--model demo-multilingual``):
    the demo image tower with an XLM-R text tower and its own tokenizer."""
    return resources_dir() / "models" / "demo-multilingual"
