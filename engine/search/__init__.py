"""Answering queries: the query value (parsed once), the first stage, hybrid full-text,
the cut-off, the second stage and captions for an image.
"""
