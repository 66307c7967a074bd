"""PyInstaller hook for open_clip: its model configs and the tokenizer's vocabulary.

``open_clip.create_model`` reads ``model_configs/*.json`` and ``get_tokenizer`` reads
``bpe_simple_vocab_16e6.txt.gz`` from the package folder; neither is Python code, so PyInstaller
would leave them out. Its sources are kept as well (``pyz+py``, a few hundred kB) so that
TorchScript and ``inspect.getsource`` on its model classes work as they do unfrozen.
"""

from PyInstaller.utils.hooks import collect_data_files

datas = collect_data_files("open_clip", includes=["**/*.json", "**/*.txt.gz"])
module_collection_mode = "pyz+py"
