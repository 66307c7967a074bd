"""What the command modules share: opening the library, argument types, filters."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from typing import Any

Handler = Callable[[argparse.Namespace], int]


def date_arg(value: str) -> date:
    """An argparse type for YYYY-MM-DD."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date like 2024-01-31") from None


def library(args: argparse.Namespace) -> Any:
    """The library the global options name (opened lazily: --help never loads the engine)."""
    from engine.api import Library

    return Library.open(args.home, model=args.model, device=args.device,
                        matcher=getattr(args, "matcher", None),
                        vectors=getattr(args, "vectors", None),
                        hub_endpoint=getattr(args, "hub_endpoint", None))


def filters(args: argparse.Namespace) -> Any:
    """SearchFilters from --after/--before/--folder/--camera/--place."""
    from engine.api import SearchFilters

    folder = args.folder.expanduser().resolve() if args.folder else None
    return SearchFilters(after=args.after, before=args.before, folder=folder, camera=args.camera,
                         places=tuple(getattr(args, "place", None) or ()))
