"""Measuring retrieval: the eval harness, the procedural demo data and the training
scripts of the models the repo ships.
"""
