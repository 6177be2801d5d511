#!/usr/bin/env bash
# Install what Dossier needs on a Debian/Ubuntu machine, then the package into ./.venv.
#   scripts/setup.sh          the product
#   scripts/setup.sh --dev    the product and what the tests need
# System packages are installed only where missing (needs root or sudo for that step).
set -euo pipefail
cd "$(dirname "$0")/.."

dev=0
[ "${1:-}" = "--dev" ] && dev=1

packages=(tesseract-ocr tesseract-ocr-ara tesseract-ocr-fra poppler-utils
          tesseract-ocr-script-arab fonts-dejavu-core fonts-noto-core fonts-hosny-amiri chromium
          # WeasyPrint renders the case reports as PDF through Pango
          libpango-1.0-0 libpangoft2-1.0-0
          # followthemoney needs PyICU, which PyPI ships as source: ICU's headers and a compiler
          libicu-dev pkg-config g++)

# The pages' browser libraries (charts, the network graph) come from the npm registry.
if ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi

# The tests run the Spark backend of record linkage, which needs a Java runtime.
if [ "$dev" = 1 ] && ! command -v java >/dev/null 2>&1; then
  packages+=(default-jre-headless)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing system packages: ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv" >&2
  "$python" -m venv .venv
fi
extra=""
[ "$dev" = 1 ] && extra="[dev]"
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e ".${extra}"

# The pages' browser libraries, pinned by package-lock.json, into src/dossier/web/frontend.
frontend=src/dossier/web/frontend
if [ ! -f "$frontend/node_modules/.package-lock.json" ] \
   || [ "$frontend/package-lock.json" -nt "$frontend/node_modules/.package-lock.json" ]; then
  echo "setup: installing the pages' browser libraries (npm ci)" >&2
  (cd "$frontend" && npm ci --omit=dev --no-audit --no-fund --loglevel=error >/dev/null)
fi
echo "setup: ready (.venv/bin/dossier)" >&2
