"""PhotoSearch desktop app (PySide6). It reaches the engine only through engine.api/errors."""
