#!/usr/bin/env bash
# Installs what the web channel's browser tests (Siuss.Tests/Browser) drive, on a fresh Debian machine, as root:
# Debian's Chromium and its chromedriver, the same version from the same archive, so nothing downloads a browser or a
# driver at test time (the tests give Selenium both paths). Idempotent: installs only what is missing.
set -euo pipefail
packages=()
[ -x /usr/bin/chromium ] || packages+=(chromium)
[ -x /usr/bin/chromedriver ] || packages+=(chromium-driver)
if ((${#packages[@]} > 0)); then
  echo "install-browser: apt-get install ${packages[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends "${packages[@]}"
fi
/usr/bin/chromium --version
