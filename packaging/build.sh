#!/usr/bin/env bash
# Build the one-folder bundle dist/PhotoSearch/ from packaging/photosearch.spec.
#
#     packaging/build.sh              (make package runs this with PY=.venv/bin/python)
#
# Needs PyInstaller in the Python that has PhotoSearch installed (pip install -e ".[gui,package]").
# Work files go to build/pyinstaller/, the bundle to dist/PhotoSearch/ (both git-ignored); the
# previous bundle is replaced. Prints the build time and the bundle's size.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
start=$(date +%s)
"$PY" resources/translations/build.py  # the .qm files the bundle carries (resources/translations)
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/photosearch.spec
echo "built dist/PhotoSearch in $(( $(date +%s) - start )) s: $(du -sh dist/PhotoSearch | cut -f1)," \
     "$(find dist/PhotoSearch -type f | wc -l) files"
