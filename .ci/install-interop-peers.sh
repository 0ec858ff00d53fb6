#!/usr/bin/env bash
# Installs the third-party peers the interop tests (Siuss.Tests/Interop) talk to, on a fresh
# Debian machine, as root: xmlsec1 (the reference XML-DSig tool, OpenSSL backend) and node-soap
# (npm package "soap", for the Node.js client built from the served WSDL). Idempotent: installs
# only what is missing, so it is cheap to run before every CI run.
#
# node-soap goes into the cache folder the tests look in (the tests install it there themselves
# when it is missing, with the same rule, see Siuss.Tests/Interop/NodeSoapPeer.cs):
#   ${SIUSS_INTEROP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/siuss-interop}/node-<first 16 hex of sha256(package.json)>
# so a change to package.json gets a fresh folder. The folder is printed on the last line of stdout.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
package_json="$repo_root/Siuss.Tests/Interop/node/package.json"

apt_packages=()
command -v xmlsec1 >/dev/null 2>&1 || apt_packages+=(xmlsec1)
command -v xmllint >/dev/null 2>&1 || apt_packages+=(libxml2-utils)
# The machine image brings Node.js 20; Debian's own nodejs (18) is only a fallback (soap 1.13 asks for >= 20.19).
command -v node >/dev/null 2>&1 || apt_packages+=(nodejs)
command -v npm >/dev/null 2>&1 || apt_packages+=(npm)
if ((${#apt_packages[@]} > 0)); then
  echo "install-interop-peers: apt-get install ${apt_packages[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends "${apt_packages[@]}"
fi

home="${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}"
cache_root="${SIUSS_INTEROP_CACHE:-${XDG_CACHE_HOME:-$home/.cache}/siuss-interop}"
hash="$(sha256sum "$package_json" | cut -c1-16)"
node_dir="$cache_root/node-$hash"
if [[ ! -f "$node_dir/node_modules/soap/package.json" ]]; then
  echo "install-interop-peers: npm install into $node_dir" >&2
  mkdir -p "$cache_root"
  # Install beside the target and move it in whole: a failed install never leaves half a folder.
  staging="$(mktemp -d "$cache_root/staging-XXXXXXXX")"
  chmod 755 "$staging"
  trap 'rm -rf "$staging"' EXIT
  cp "$package_json" "$staging/package.json"
  (cd "$staging" && npm install --no-audit --no-fund --loglevel=error)
  rm -rf "$node_dir"
  mv -T "$staging" "$node_dir"
fi

echo "install-interop-peers: $(xmlsec1 --version | head -n1), node $(node --version), soap $(node -p "require('$node_dir/node_modules/soap/package.json').version")" >&2
echo "$node_dir"
