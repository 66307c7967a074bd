"""Files -> analyses: scanning folders, planning changes, the indexer that runs the
analyses, the single writer and the watcher.
"""
