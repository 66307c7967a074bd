"""Models and settings: what each model costs and finds, and changing a stored setting."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict, fields
from typing import Any

from engine.cli.common import Handler, library
from engine.i18n import _


def register(sub: Any) -> dict[str, Handler]:
    """Add the models and settings commands."""
    s = sub.add_parser("models", help="the models PhotoSearch offers: download size, languages "
                       "and published retrieval figures")
    s.add_argument("--language", help="recommend for this language (default: the system's)")
    s.add_argument("--json", action="store_true", help="machine-readable output")
    s = sub.add_parser("settings", help="show the stored settings, or set one: settings KEY "
                       "VALUE (e.g. settings hub_endpoint https://hf-mirror.com)")
    s.add_argument("key", nargs="?")
    s.add_argument("value", nargs="?", help="the new value ('' to clear a text setting)")
    s.add_argument("--json", action="store_true", help="machine-readable output")
    return {"models": _cmd_models, "settings": _cmd_settings}


def _cmd_models(args: argparse.Namespace) -> int:
    from engine.api import SOURCE_OF_FIGURES, model_choices, recommended_model

    with library(args) as lib:
        current = lib.model_spec
        endpoint = lib.hub_endpoint
    recommended = recommended_model(args.language)
    choices = model_choices()
    if args.json:
        print(json.dumps({"current": current, "recommended": recommended,
                          "hub_endpoint": endpoint, "source": SOURCE_OF_FIGURES,
                          "models": [asdict(c) for c in choices]}, indent=2))
        return 0
    for choice in choices:
        marks = [m for m, on in (("in use", choice.spec == current),
                                 ("recommended", choice.spec == recommended)) if on]
        print(f"{choice.spec}{'  (' + ', '.join(marks) + ')' if marks else ''}")
        print(f"    {choice.title}: {choice.summary()}")
    print(f"\nText->image recall@1 from the {SOURCE_OF_FIGURES}. Downloads come from "
          f"{endpoint} (change with --hub-endpoint or `photosearch settings hub_endpoint URL`). "
          "Use one with --model SPEC, or `photosearch settings model SPEC`.")
    return 0


def _cmd_settings(args: argparse.Namespace) -> int:
    from engine.errors import EngineError

    with library(args) as lib:
        current = lib.settings
        if args.key is None:
            data = asdict(current)
            if args.json:
                print(json.dumps(data, indent=2, default=list))
            else:
                for key, value in data.items():
                    print(f"{key} = {value!r}")
            return 0
        kinds = {f.name: type(getattr(current, f.name)) for f in fields(current)}
        if args.key not in kinds:
            raise EngineError(_("There is no setting '{key}'. Settings: {settings}.").format(
                key=args.key, settings=", ".join(kinds)))
        if args.value is None:
            print(repr(getattr(current, args.key)))
            return 0
        value = _parse_value(args.key, args.value, kinds[args.key])
        lib.update_settings(**{args.key: value})
        print(f"{args.key} = {getattr(lib.settings, args.key)!r}")
    return 0


def _parse_value(key: str, text: str, kind: type) -> Any:
    from engine.errors import EngineError

    if kind is bool:
        if text.lower() in ("1", "true", "yes", "on"):
            return True
        if text.lower() in ("0", "false", "no", "off"):
            return False
    elif kind is int:
        try:
            return int(text)
        except ValueError:
            pass
    elif kind is str:
        return text
    else:
        raise EngineError(_("The setting '{key}' is a list; change it in the app or the "
                            "settings.toml file.").format(key=key))
    raise EngineError(_("'{text}' is not a valid value for '{key}' ({kind}).").format(
                          text=text, key=key, kind=kind.__name__))
