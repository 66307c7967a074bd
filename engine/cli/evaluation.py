"""Demo data and retrieval evaluation."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from engine.cli.common import Handler


def register(sub: Any) -> dict[str, Handler]:
    """Add the demo-data and eval commands."""
    s = sub.add_parser("demo-data", help="write procedurally generated demo photos + "
                       "dataset.json")
    s.add_argument("dir", type=Path)
    s.add_argument("--train", type=int, default=0)
    s.add_argument("--val", type=int, default=0)
    s.add_argument("--test", type=int, default=1000)
    s.add_argument("--compositional", type=int, default=300,
                   help="pair scenes (each written with its 2 swapped twins)")
    s.add_argument("--seed", type=int, default=1234)

    s = sub.add_parser("eval", help="retrieval recall on a Karpathy-format dataset")
    s.add_argument("dataset", type=Path)
    s.add_argument("--images", type=Path, required=True, help="folder holding the images")
    s.add_argument("--split", default="test")
    s.add_argument("--reference", action="store_true",
                   help="also evaluate with open_clip's own preprocessing, for comparison")
    s.add_argument("--rerank", action="store_true",
                   help="also measure text->image recall of the two-stage search (first stage "
                   "+ matcher on the top K)")
    s.add_argument("--rerank-k", type=int, help="candidates the matcher reorders per caption")
    s.add_argument("--lang", default="en",
                   help="caption language(s) to measure: en, zh, es, ja (what the dataset has), "
                   "several comma-separated, or all; the images are indexed once")
    s.add_argument("--json", action="store_true")
    return {"demo-data": _cmd_demo_data, "eval": _cmd_eval}


def _cmd_demo_data(args: argparse.Namespace) -> int:
    from engine.evaluation.demo_data import DemoSplits, write_demo_dataset

    counts = DemoSplits(train=args.train, val=args.val, test=args.test,
                        compositional=args.compositional)
    path = write_demo_dataset(args.dir, counts, seed=args.seed)
    print(f"wrote {path} and the photos under {args.dir}")
    return 0


def _cmd_eval(args: argparse.Namespace) -> int:
    from engine.api import Library
    from engine.evaluation.retrieval import (
        dataset_languages,
        evaluate_library,
        evaluate_reference,
        load_split,
    )

    langs = [x.strip() for x in args.lang.split(",") if x.strip()] or ["en"]
    if langs == ["all"]:
        langs = dataset_languages(args.dataset)
    images = load_split(args.dataset, args.images, args.split, langs)
    model = args.model or Library.open(args.home).model_spec
    metrics = evaluate_library(images, model, open_library=Library.open, device=args.device,
                               rerank=args.rerank,
                               rerank_k=args.rerank_k, matcher=args.matcher)
    result: dict[str, Any] = {"t2i": metrics["t2i"], "i2t": metrics["i2t"],
                              "rsum": metrics["rsum"]}
    if langs != ["en"]:
        result["lang"] = langs[0]  # the top-level figures' language
    if len(langs) > 1:
        result["by_lang"] = {lang: {k: m[k] for k in ("t2i", "i2t", "rsum")}
                             for lang, m in metrics["by_lang"].items()}
    if args.rerank:
        result["rerank"] = metrics["rerank"]
    if args.reference:
        ref = evaluate_reference(images, model)
        result["reference"] = {"t2i": ref["t2i"], "i2t": ref["i2t"], "rsum": ref["rsum"]}
    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    n = metrics["images"]
    setting = "1K" if n == 1000 else ("5K" if n == 5000 else f"{n}-image")
    print(f"{args.split} split: {n} images, {metrics['captions']} captions ({setting} test), "
          f"model {model} ({metrics['device']})")
    rows = ([(f"engine {lang}", r) for lang, r in result["by_lang"].items()]
            if "by_lang" in result
            else [("engine" if langs == ["en"] else f"engine {langs[0]}", result)])
    rows += [("open_clip", result["reference"])] if args.reference else []
    print(f"{'':10} {'t2i R@1':>8} {'R@5':>6} {'R@10':>6} {'i2t R@1':>8} {'R@5':>6} "
          f"{'R@10':>6} {'rSum':>7}")
    for name, r in rows:
        t, i = r["t2i"], r["i2t"]
        print(f"{name:10} {t['R@1']:8.3f} {t['R@5']:6.3f} {t['R@10']:6.3f} {i['R@1']:8.3f} "
              f"{i['R@5']:6.3f} {i['R@10']:6.3f} {r['rsum']:7.1f}")
    if args.rerank:
        rr = result["rerank"]
        t = rr["t2i"]
        print(f"{'+ rerank':10} {t['R@1']:8.3f} {t['R@5']:6.3f} {t['R@10']:6.3f}   "
              f"(top {rr['k']} reordered by {rr['matcher']}, {rr['ms_per_query']} ms/query)")
    return 0
