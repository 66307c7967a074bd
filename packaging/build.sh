#!/usr/bin/env bash
# Build a one-folder bundle from packaging/photosearch.spec.
#
#     packaging/build.sh [lean|full]     (make package / make package-full run this with
#                                         PY=.venv/bin/python; default lean)
#
# lean: dist/PhotoSearch/       ONNX Runtime, no torch (packaging/README.md, "Two editions")
# full: dist/PhotoSearch-full/  PyTorch with CUDA, exporting new models, reranking
#
# Needs PyInstaller in the Python that has PhotoSearch installed (pip install -e ".[gui,package]")
# and, for the demo model's ONNX export (packaging/export_demo.py, kept in build/onnx/ while the
# demo model is unchanged), torch and open_clip. Work files go to build/pyinstaller-<edition>/,
# the bundle to dist/ (both git-ignored); the previous bundle of that edition is replaced.
# Prints the build time and the bundle's size.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
EDITION=${1:-lean}
case "$EDITION" in
  lean) NAME=PhotoSearch ;;
  full) NAME=PhotoSearch-full ;;
  *) echo "usage: $0 [lean|full]" >&2; exit 2 ;;
esac
start=$(date +%s)
"$PY" resources/translations/build.py  # the .qm files the bundle carries (resources/translations)
"$PY" packaging/export_demo.py build/onnx
PHOTOSEARCH_EDITION=$EDITION "$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath "build/pyinstaller-$EDITION" packaging/photosearch.spec
if [ "$EDITION" = lean ] && command -v strip >/dev/null; then
  # Symbol tables that wheels and Python leave in: 40 MB, of which PyAV's Cython modules 26.
  # Every shared object with a symbol table (.symtab), except the libraries auditwheel
  # vendored into *.libs/ folders (hashed names, loaded by the modules beside them), which are
  # left as their wheels ship them. The bundle check imports and runs what these files hold.
  find "dist/$NAME/_internal" -type f \( -name '*.so' -o -name '*.so.*' \) -not -path '*.libs/*' \
      -print0 | while IFS= read -r -d '' path; do
    if readelf -S "$path" 2>/dev/null | grep '\.symtab' >/dev/null; then strip --strip-unneeded "$path"; fi
  done
fi
echo "built dist/$NAME ($EDITION edition) in $(( $(date +%s) - start )) s:" \
     "$(du -sh "dist/$NAME" | cut -f1), $(find "dist/$NAME" -type f | wc -l) files"
