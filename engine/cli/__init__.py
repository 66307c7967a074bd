"""The ``photosearch`` command line, over :mod:`engine.api` only.

Prints one clear line per problem and exits non-zero; ``--json`` gives machine-readable output.
Each module of this package adds its commands (``register(subparsers)`` returns their
handlers); this one holds the global options and the entry point.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from engine.api import set_message_language
from engine.cli import duplicates, evaluation, library, models, people, photo_text, search
from engine.cli.common import Handler
from engine.errors import Cancelled, EngineError
from engine.i18n import _

EXAMPLES = """\
examples:
  photosearch add ~/Pictures ~/Phone
  photosearch index
  photosearch watch
  photosearch search "two dogs on a beach at sunset" -k 20
  photosearch similar ~/Downloads/that.jpg -k 20
  photosearch search "beach + sunset - people"
  photosearch search "birthday cake" --after 2023-01-01 --before 2024-01-01 --camera Pixel
  photosearch status --json
  photosearch --model demo demo-data ~/demo-photos
  photosearch search "a red circle left of a blue square" --rerank
  photosearch caption ~/Pictures/IMG_1234.jpg "grandma's 80th birthday"
  photosearch captions ~/Downloads/that.jpg -k 10 --json
  photosearch duplicates --similar
  photosearch trash ~/Pictures/IMG_1234-copy.jpg
  photosearch index --ray 10.0.0.5:6379 --ray-path-map /Volumes/photos=/mnt/photos
  photosearch --vectors milvus://10.0.0.6:19530 publish
  photosearch people                      # then: people name 3 Grace
  photosearch search "Grace beach"        # understood: beach · person Grace
  photosearch models                      # sizes, languages, retrieval figures
  photosearch --model xlm-roberta-base-ViT-B-32/laion5b_s13b_b90k search "海边的狗"
  photosearch settings hub_endpoint https://hf-mirror.com
"""



# The command modules, in the order their commands are listed by --help.
COMMAND_MODULES = (library, search, photo_text, people, duplicates, evaluation, models)


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, Handler]]:
    """The argument parser and the handler of each command (exposed for tests and docs)."""
    p = argparse.ArgumentParser(
        prog="photosearch", description="Find your photos by meaning, locally.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--home", type=Path, help="library folder (env PHOTOSEARCH_HOME)")
    p.add_argument("--model", help="open_clip NAME/PRETRAINED, hf-hub:ORG/REPO, "
                   "local-dir:PATH or demo (env PHOTOSEARCH_MODEL; default "
                   "ViT-B-32/laion2b_s34b_b79k)")
    p.add_argument("--device", help="auto, cpu, cuda or mps (env PHOTOSEARCH_DEVICE)")
    p.add_argument("--matcher", help="reranking model: a BLIP ITM Hugging Face repo, "
                   "local-dir:PATH or demo (env PHOTOSEARCH_MATCHER; default demo with the "
                   "demo model, else Salesforce/blip-itm-base-coco)")
    p.add_argument("--vectors", help="where searches find vectors: local (default), "
                   "milvus://HOST:PORT[/NAME], milvus+tls://HOST:PORT[/NAME] or "
                   "milvus-lite:FILE.db (env PHOTOSEARCH_VECTORS; credentials only from "
                   "PHOTOSEARCH_MILVUS_TOKEN / _USER + _PASSWORD or the OS keyring)")
    p.add_argument("--hub-endpoint", metavar="URL",
                   help="where models are downloaded from: the Hugging Face Hub or a mirror such "
                   "as https://hf-mirror.com (env HF_ENDPOINT; setting hub_endpoint)")
    p.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    handlers: dict[str, Handler] = {}
    for module in COMMAND_MODULES:
        handlers.update(module.register(sub))
    return p, handlers


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    set_message_language(None)  # the system locale (LANGUAGE, LC_ALL, LC_MESSAGES, LANG)
    parser, handlers = build_parser()
    args = parser.parse_args(argv)
    for stream in (sys.stdout, sys.stderr):  # file names that are not valid UTF-8 print as is
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="surrogateescape")
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    if not args.verbose:
        logging.getLogger("root").setLevel(logging.WARNING)
    try:
        return handlers[args.command](args)
    except EngineError as exc:
        print(f"photosearch: {exc.user_message}", file=sys.stderr)
        if args.verbose and exc.details:
            print(exc.details, file=sys.stderr)
        return 1
    except (Cancelled, KeyboardInterrupt):
        print("photosearch: " + _("cancelled"), file=sys.stderr)
        return 130
