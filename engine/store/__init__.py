"""The library's state: the SQLite catalog (the truth), vector indexes (rebuildable caches),
captions, settings and paths.
"""
