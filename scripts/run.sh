#!/usr/bin/env bash
# Runs PAKN Desktop from this checkout, installing what it needs first (scripts/setup.sh).
#   bash scripts/run.sh                 # the GUI, on the embedded SQLite database
#   bash scripts/run.sh stats --json    # any subcommand: see README.md
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$repo/scripts/setup.sh"

# Without a subcommand the program opens a window: say how to get a screen before Qt fails.
needs_display=1
skip_value=0
for arg in "$@"; do
  if [ "$skip_value" -eq 1 ]; then
    skip_value=0
    continue
  fi
  case "$arg" in
    --db | --data-dir) skip_value=1 ;;
    -*) ;;
    *) needs_display=0 ;; # a subcommand: no window
  esac
done
case " $* " in
  *" --version "* | *" -h "* | *" --help "*) needs_display=0 ;;
esac
if [ "$needs_display" -eq 1 ] && [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] &&
  [ -z "${QT_QPA_PLATFORM:-}" ] && [ "${CI:-}" != true ]; then
  printf '%s\n' \
    "run: no screen (DISPLAY is not set). Run this on a desktop session, or on a virtual one:" \
    "     Xvfb :99 -screen 0 1600x1000x24 & DISPLAY=:99 bash scripts/run.sh" \
    "     (apt-get install xvfb; 'bash scripts/setup.sh --test' installs it)" >&2
  exit 1
fi
exec "$repo/.venv/bin/pakn-desktop" "$@"
