#!/usr/bin/env bash
# Prepares this checkout: the Debian/Ubuntu packages the program needs (only those missing),
# then .venv/ with the pinned packages of the lock file and pakn-desktop itself.
# Idempotent and quiet: a second run with nothing to do prints nothing.
#
#   bash scripts/setup.sh          # to run the program (requirements.lock)
#   bash scripts/setup.sh --test   # also Xvfb, PostgreSQL and the test tools (requirements-dev.lock)
#
# Progress goes to stderr, so `bash scripts/run.sh stats --json` keeps a clean stdout.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv="$repo/.venv"
for_tests=0

say() { printf 'setup: %s\n' "$*" >&2; }
die() {
  printf 'setup: LỖI / ERROR: %s\n' "$*" >&2
  exit 1
}

for arg in "$@"; do
  case "$arg" in
    --test) for_tests=1 ;;
    -h | --help)
      sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *) die "unknown option: $arg (only --test)" ;;
  esac
done

# --- system packages ----------------------------------------------------------------------

# Qt 6.11 xcb platform plugin (from `ldd libqxcb.so libQt6XcbQpa.so.6`), EGL/GL, D-Bus, a
# font with Vietnamese glyphs (DejaVu covers Latin Extended Additional: ạ ả ấ ầ ẩ ẫ ậ …) and
# one with emoji, which Messenger and Zalo conversations are full of (boxes without it).
runtime_packages=(
  libxcb-cursor0 libxkbcommon-x11-0 libxkbcommon0 libegl1 libgl1 libfontconfig1 libfreetype6
  libdbus-1-3 libglib2.0-0 libx11-xcb1 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
  libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxcb-xfixes0
  libxcb-shm0 libxcb-sync1 libxcb-glx0 fonts-dejavu-core fonts-noto-color-emoji
)
# A real X server and its tools for the Xvfb tests (xrandr splits it into two monitors);
# PostgreSQL for the migration/sync tests (Debian's postgresql-N already carries unaccent and
# pg_trgm; -contrib is a meta package); LibreOffice Calc (headless) to open every workbook we
# export as a manager would, Liberation fonts (metric twins of Times New Roman, the layout of
# administrative documents) and poppler to render its PDF pages.
test_packages=(
  xvfb xauth x11-utils x11-xserver-utils xdotool postgresql postgresql-contrib
  libreoffice-calc-nogui fonts-liberation2 poppler-utils
)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "need root to run: $* (install sudo, or run this script as root)"
  fi
}

is_installed() {
  # Ubuntu 24.04 renamed some libraries with a t64 suffix; either name will do.
  local name
  for name in "$1" "$1t64"; do
    if [ "$(dpkg-query -W -f='${db:Status-Status}' "$name" 2>/dev/null)" = installed ]; then
      return 0
    fi
  done
  return 1
}

apt_updated=0
apt_install() {
  # Installs the named packages that are missing; `apt-get update` at most once per run.
  local missing=() name
  for name in "$@"; do
    is_installed "$name" || missing+=("$name")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 ||
    die "missing system packages (${missing[*]}) and no apt-get: install them by hand"
  local log
  log=$(mktemp)
  if [ "$apt_updated" -eq 0 ]; then
    say "apt-get update"
    as_root apt-get -qq -o DPkg::Lock::Timeout=300 update >"$log" 2>&1 ||
      { tail -n 20 "$log" >&2; rm -f "$log"; die "apt-get update failed"; }
    apt_updated=1
  fi
  local wanted=()
  for name in "${missing[@]}"; do
    # Prefer the t64 name where the plain one is only virtual (Ubuntu 24.04).
    if apt-cache show "${name}t64" >/dev/null 2>&1; then wanted+=("${name}t64"); else wanted+=("$name"); fi
  done
  say "installing system packages: ${wanted[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    -o DPkg::Lock::Timeout=300 "${wanted[@]}" >"$log" 2>&1 ||
    { tail -n 30 "$log" >&2; rm -f "$log"; die "apt-get install ${wanted[*]} failed"; }
  rm -f "$log"
}

# --- Python ≥ 3.11 with venv ---------------------------------------------------------------

python_ok() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; }
has_venv() { "$1" -c 'import ensurepip, venv' >/dev/null 2>&1; }

find_python() {
  local candidate
  for candidate in ${PAKN_PYTHON:-} python3 python3.13 python3.12 python3.11 /usr/bin/python3; do
    if command -v "$candidate" >/dev/null 2>&1 && python_ok "$candidate"; then
      command -v "$candidate"
      return 0
    fi
  done
  return 1
}

venv_usable() { [ -x "$venv/bin/python" ] && python_ok "$venv/bin/python" && [ -x "$venv/bin/pip" ]; }

if ! venv_usable; then
  python=$(find_python) || {
    apt_install python3 python3-venv
    python=$(find_python) || die "Python ≥ 3.11 not found (Debian 12 / Ubuntu 22.04+ have it)"
  }
  if ! has_venv "$python"; then
    version=$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
    apt_install python3-venv "python$version-venv"
    has_venv "$python" || die "$python cannot create virtual environments (python3-venv)"
  fi
fi

apt_install "${runtime_packages[@]}"
if [ "$for_tests" -eq 1 ]; then
  apt_install "${test_packages[@]}"
fi

# --- .venv from the lock file --------------------------------------------------------------

if ! venv_usable; then
  rm -rf "$venv"
  say "creating .venv with $("$python" --version 2>&1)"
  "$python" -m venv "$venv" || die "could not create $venv"
fi

hash_of() { sha256sum "$@" | sha256sum | cut -c1-16; }
py_version=$("$venv/bin/python" -c 'import sys; print(sys.version.split()[0])')
runtime_key="runtime $(hash_of "$repo/requirements.lock" "$repo/pyproject.toml") $py_version"
dev_key="dev $(hash_of "$repo/requirements-dev.lock" "$repo/pyproject.toml") $py_version"
stamp="$venv/.pakn-setup-stamp"
current=$(cat "$stamp" 2>/dev/null || true)

if [ "$for_tests" -eq 1 ]; then
  lock=requirements-dev.lock
  key=$dev_key
else
  lock=requirements.lock
  key=$runtime_key
fi
# The dev lock is a superset of the runtime lock: a test setup also serves the program.
if [ -x "$venv/bin/pakn-desktop" ] && { [ "$current" = "$key" ] || [ "$current" = "$dev_key" ]; }; then
  exit 0
fi

log=$(mktemp)
pip_install() {
  "$venv/bin/python" -m pip install --disable-pip-version-check --no-input -q "$@" >>"$log" 2>&1 ||
    { tail -n 30 "$log" >&2; rm -f "$log"; die "pip install $* failed (see the lines above)"; }
}
say "installing Python packages from $lock into .venv (first time: a few minutes)"
rm -f "$stamp"
pip_install -r "$repo/$lock"
pip_install --no-deps -e "$repo"
rm -f "$log"
[ -x "$venv/bin/pakn-desktop" ] || die "$venv/bin/pakn-desktop was not installed"
printf '%s\n' "$key" >"$stamp"
say "ready: $venv/bin/pakn-desktop"
