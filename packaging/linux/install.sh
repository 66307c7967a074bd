#!/usr/bin/env sh
# Install a built bundle for the current user (no root): the program folder, a launcher in the
# desktop's menu, the icon, and `photosearch` / `PhotoSearch` on the PATH.
#
#     packaging/linux/install.sh [dist/PhotoSearch]      # uninstall: packaging/linux/install.sh --remove
#
# Files: ~/.local/opt/PhotoSearch/ (the bundle), ~/.local/bin/{PhotoSearch,photosearch} (links),
# ~/.local/share/applications/photosearch.desktop, ~/.local/share/icons/hicolor/*/apps/photosearch.*
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
opt=$HOME/.local/opt/PhotoSearch
bin=$HOME/.local/bin

if [ "${1:-}" = "--remove" ]; then
    rm -rf "$opt" "$bin/PhotoSearch" "$bin/photosearch" "$data/applications/photosearch.desktop" \
        "$data/icons/hicolor/scalable/apps/photosearch.svg" "$data/icons/hicolor/256x256/apps/photosearch.png"
    echo "PhotoSearch removed (your libraries in ~/.local/share/PhotoSearch are kept)"
    exit 0
fi

bundle=${1:-$here/../../dist/PhotoSearch}
[ -x "$bundle/PhotoSearch" ] || { echo "no built bundle at $bundle (run: make package)" >&2; exit 1; }
mkdir -p "$opt" "$bin" "$data/applications" "$data/icons/hicolor/scalable/apps" \
    "$data/icons/hicolor/256x256/apps"
rm -rf "$opt" && cp -a "$bundle" "$opt"
ln -sf "$opt/PhotoSearch" "$bin/PhotoSearch"
ln -sf "$opt/photosearch" "$bin/photosearch"
cp "$here/../icons/photosearch.svg" "$data/icons/hicolor/scalable/apps/photosearch.svg"
cp "$here/../icons/photosearch.png" "$data/icons/hicolor/256x256/apps/photosearch.png"
# Exec with the absolute path: ~/.local/bin is not on every desktop session's PATH.
sed -e "s|^Exec=.*|Exec=$opt/PhotoSearch|" -e "s|^TryExec=.*|TryExec=$opt/PhotoSearch|" \
    "$here/photosearch.desktop" > "$data/applications/photosearch.desktop"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$data/applications" || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q "$data/icons/hicolor" 2>/dev/null || true
echo "PhotoSearch installed in $opt; it is in your desktop's menu, and $bin has PhotoSearch and photosearch"
