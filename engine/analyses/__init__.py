"""Per-photo analyses on one seam: each has a name, a version, what it needs and how
its results are stored (see :mod:`engine.analyses.base`).
"""
