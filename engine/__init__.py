"""PhotoSearch engine: a headless library that indexes photo folders and searches them by meaning.

Import :mod:`engine.api` for the public facade; everything else is internal.
"""

__version__ = "0.1.0"
