#!/usr/bin/env bash
# Installs the programs tests/docs drives besides Python packages: Debian's chromium (the browser
# Playwright launches; never `playwright install`) and newman (npm, into tools/node from its lock).
# Idempotent: does nothing when both are already there. scripts/test.sh runs it before pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "install_test_tools: need root to run: $*" >&2; return 1; fi
}

apt_install() {
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

if [ ! -x /usr/bin/chromium ]; then
  echo "install_test_tools: installing Debian's chromium"
  apt_install chromium
fi
if ! command -v npm >/dev/null; then
  echo "install_test_tools: installing node and npm"
  apt_install nodejs npm
fi
# npm ci again only when the lock file changed since the last install.
stamp="tools/node/node_modules/.installed-$(sha256sum tools/node/package-lock.json | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "install_test_tools: installing newman (tools/node)"
  (cd tools/node && npm ci --no-audit --no-fund --loglevel=error)
  touch "$stamp"
fi
