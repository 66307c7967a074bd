"""The relevance cut-off: how many of a query's results stand above what an unrelated photo
scores."""

from __future__ import annotations

import numpy as np


def relevance_cutoff(scores: np.ndarray, background: np.ndarray, min_keep: int = 1) -> int:
    """How many of the (descending) ``scores`` are relevant, adapting to the query.

    ``background`` holds the scores of a random sample of the library: they say what an
    unrelated photo scores for *this* query (CLIP scores shift a lot from query to query, so no
    fixed threshold works). A hit is kept when it stands clearly above that background and is
    not far below the best hit, measured in units of the best hit's own margin.
    """
    n = len(scores)
    if n == 0:
        return 0
    if len(background) < 8:
        return n
    mu = float(np.mean(background))
    sigma = float(np.std(background)) or 1e-6
    top = float(scores[0])
    margin = top - mu
    if margin <= 0:
        return min(n, min_keep)
    floor = max(mu + 2.5 * sigma, top - 0.6 * margin)
    keep = int(np.searchsorted(-scores, -floor, side="right"))
    return max(min(n, min_keep), keep)
