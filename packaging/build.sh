#!/usr/bin/env bash
# Build the one-folder bundle dist/SubsidyDesk/ on Linux (Windows: packaging/build.ps1).
#
#   bash packaging/build.sh              build (what `make package` runs)
#   bash packaging/build.sh --self-test  build, then run the bundle's self-test on a fresh,
#                                        temporary data directory (what `make package-test` runs)
#
# Uses the project's .venv (made by packaging/bootstrap.sh); installs PyInstaller into it if it
# is missing. Output: build/ (PyInstaller's work files) and dist/SubsidyDesk/.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PY:-.venv/bin/python}
DIST=dist/SubsidyDesk

if ! "$PY" -c "import PyInstaller" 2>/dev/null; then
  "$PY" -m pip install -q -c constraints.txt -e ".[package]"
fi

start=$(date +%s)
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build packaging/subsidydesk.spec
end=$(date +%s)

size=$(du -sh "$DIST" | cut -f1)
files=$(find "$DIST" -type f | wc -l)
echo "打包完成：$DIST  大小 $size，$files 个文件，用时 $((end - start)) 秒"

if [ "${1:-}" = "--self-test" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  # The issue's acceptance check, as a clerk's PC would run it ...
  QT_QPA_PLATFORM=offscreen "$DIST/SubsidyDesk" --self-test --data-dir "$tmp/data" | tee "$tmp/out.txt"
  grep -q 自检通过 "$tmp/out.txt"
  # ... then the rest: an old database, the default data directory, catalogs, contents.
  "$PY" packaging/check_bundle.py "$DIST"
fi
