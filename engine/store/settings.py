"""User settings, kept as TOML in the library folder (``settings.toml``).

Precedence for the model and device: an explicit argument (``--model``), then the environment
(``PHOTOSEARCH_MODEL``, ``PHOTOSEARCH_DEVICE``), then the stored setting, then the default.
"""

from __future__ import annotations

import logging
import os
import tomllib
from dataclasses import asdict, fields, replace
from pathlib import Path
from typing import Any

import tomli_w

from engine.errors import EngineError
from engine.i18n import _
from engine.records import Settings

log = logging.getLogger(__name__)

SETTINGS_FILE = "settings.toml"


def load_settings(home: Path) -> Settings:
    """Read ``home/settings.toml``; a missing file gives defaults, a broken one is reported."""
    path = home / SETTINGS_FILE
    if not path.exists():
        return Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise EngineError(
            _("The settings file {path} cannot be read ({exc}). Fix it or delete it to go "
              "back to the defaults.").format(path=path, exc=exc),
            details=repr(exc),
        ) from exc
    known = {f.name for f in fields(Settings)}
    values: dict[str, Any] = {k: v for k, v in data.items() if k in known}
    for key in ("exclude", "disabled_analyses"):
        if key in values:
            values[key] = tuple(str(p) for p in values[key])
    for unknown in set(data) - known:
        log.warning("ignoring unknown setting %r in %s", unknown, path)
    return replace(Settings(), **values)


def save_settings(home: Path, settings: Settings) -> None:
    """Write ``home/settings.toml`` atomically."""
    home.mkdir(parents=True, exist_ok=True)
    data = asdict(settings)
    data["exclude"] = list(settings.exclude)
    data["disabled_analyses"] = list(settings.disabled_analyses)
    path = home / SETTINGS_FILE
    tmp = path.with_suffix(".toml.tmp")
    tmp.write_text(tomli_w.dumps(data), encoding="utf-8")
    os.replace(tmp, path)


def resolve_model(explicit: str | None, settings: Settings) -> str:
    """The model spec to use: argument, then $PHOTOSEARCH_MODEL, then the stored setting."""
    return explicit or os.environ.get("PHOTOSEARCH_MODEL") or settings.model


def resolve_device(explicit: str | None, settings: Settings) -> str:
    """The device to use: argument, then $PHOTOSEARCH_DEVICE, then the stored setting."""
    return explicit or os.environ.get("PHOTOSEARCH_DEVICE") or settings.device
