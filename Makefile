# PhotoSearch: `make run` starts the app, `make test` runs every test. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.setup-done

.PHONY: setup run test test-fast lint bench demo clean translations translations-update

setup: $(STAMP) translations

# The app's translations: resources/translations/*.ts (committed) -> *.qm (built, git-ignored),
# with lrelease from the PySide6 wheel; the engine's messages: resources/locale/<lang>/
# LC_MESSAGES/photosearch.po (committed) -> .mo (built, git-ignored), with Babel (dev extra).
# translations-update re-extracts app/'s strings into the .ts files and engine/'s _() messages
# into the .po files (then translate the new entries; tests/app/test_i18n.py and
# tests/engine/test_engine_i18n.py fail until they are).
translations: $(STAMP)
	$(PY) resources/translations/build.py

translations-update: $(STAMP)
	$(PY) resources/translations/build.py --update

# torch 2.14.1 + torchvision 0.29.1 are the builds pip finds on our machines' local disk; the
# rest comes from PyPI. Re-runs only when pyproject.toml changes. The archive extra (Ray Data,
# pymilvus, milvus-lite, keyring: ~600 MB, ~35 s) is there so make test runs the cluster tests.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q "torch==2.14.1" "torchvision==0.29.1"
	$(PY) -m pip install -q -e ".[gui,rerank,dev,archive]"
	touch $(STAMP)

run: setup
	$(PY) -m app --demo-fallback

test: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q
	$(VENV)/bin/lint-imports

test-fast: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -m "not slow"

lint: setup
	$(VENV)/bin/ruff check engine app tests bench
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

bench: setup
	$(PY) bench/index_throughput.py
	$(PY) bench/query_latency.py

# The one-folder PyInstaller bundles (PhotoSearch + photosearch); see packaging/README.md.
# package: the lean edition dist/PhotoSearch/ (ONNX Runtime, no torch); package-full: the full
# edition dist/PhotoSearch-full/ (CUDA torch, exporting models, reranking). Both are built from
# this .venv (the lean spec leaves torch out). The *-test targets build, then check the frozen
# programs (self-test, CLI, OCR, faces; the lean edition: no torch, size).
.PHONY: package package-test package-full package-full-test
PACKAGE_STAMP := $(VENV)/.package-done

$(PACKAGE_STAMP): $(STAMP)
	$(PY) -m pip install -q -e ".[gui,rerank,package]"
	touch $(PACKAGE_STAMP)

package: $(PACKAGE_STAMP) translations
	PY=$(PY) nice packaging/build.sh lean

package-test: package
	$(PY) packaging/check_bundle.py dist/PhotoSearch --edition lean --sizes

package-full: $(PACKAGE_STAMP)
	PY=$(PY) nice packaging/build.sh full

package-full-test: package-full
	$(PY) packaging/check_bundle.py dist/PhotoSearch-full --edition full --sizes

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
