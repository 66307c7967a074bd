"""The facade's part for captions: the user's own, a photo's, and those that describe an
image."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from engine.api.part import _FacadePart
from engine.jobs import CancelToken, Job
from engine.records import CaptionHit
from engine.search.captions import vocabulary_key


class CaptionsFacade(_FacadePart):
    """Mixed into :class:`engine.api.Library`."""

    # -- captions -----------------------------------------------------------------------------

    def describe(self, image: Path | bytes, k: int = 10, rerank: bool | None = None,
                 cancel: CancelToken | None = None, lang: str | None = None
                 ) -> list[CaptionHit]:
        """The captions that best describe ``image`` (any file, or encoded image bytes), best
        first: the photos' own captions, the user's and the bundled vocabulary's.

        ``lang`` picks the vocabulary's language: en (None), zh, es or ja, or a locale name of
        one (``zh_CN``); EngineError for others. With a bundled demo model the vocabulary is
        the demo one (shapes, colours, places), in that language. The first call for a model
        and language embeds its vocabulary (seconds; :meth:`prepare_captions` does it in the
        background). ``rerank`` (None: the setting) reorders the top :attr:`rerank_k` with the
        matcher, in English only (the matchers read English); ``cancel`` stops that early
        (Cancelled).
        """
        self._ensure_ready()
        return self._search.describe(image, k, self._settings.rerank if rerank is None
                                     else rerank, cancel, lang)

    def prepare_captions(self, on_progress: Callable[[str], None] | None = None,
                         lang: str | None = None) -> Job[int, str]:
        """Embed the caption vocabulary in ``lang`` (None: English) and new captions for the
        current model, in the background (so the first :meth:`describe` answers at once);
        returns how many."""
        def work(token: CancelToken, report: Callable[[str], None]) -> int:
            report("embedding captions")
            spec = self._ensure_ready().spec
            key = vocabulary_key(spec.raw, lang)
            self._captions.store.sync_vocabulary(key=key)
            before = self._captions.store.missing_texts(spec.model_id, key)
            self._captions.index(lang)
            return len(before)

        return Job("prepare-captions", work, on_progress).start()

    def set_caption(self, photo: int | Path, text: str | None) -> None:
        """Set the user's caption of a library photo (by id or path); None or "" removes it.

        User captions are searchable by words at once and describe images like the others.
        """
        self._captions.set_user_caption(self._photo_id(photo), text)

    def photo_captions(self, photo: int | Path) -> list[CaptionHit]:
        """A photo's own captions (user first, then those read from the file); score 1.0."""
        photo_id = self._photo_id(photo)
        return [CaptionHit(text, 1.0, source, photo_id)
                for text, source, _ in self._captions.store.captions_of(photo_id)]
