"""Scripts that train the small models the repo ships (demo CLIP, demo matcher)."""
