#!/usr/bin/env bash
# Regenerates wwwroot/bootstrap-italia/ from the npm package bootstrap-italia (BSD-3-Clause), the official design kit of
# Italian public administration sites. Only what the server-rendered pages use is kept (compiled CSS, the icon sprite,
# the Titillium Web and Roboto Mono woff2 fonts with their OFL licence): about 0.9 MB instead of the 6.4 MB dist, and no
# JavaScript, so every page works without it. Nothing is fetched at run time. Run from anywhere; needs npm.
set -euo pipefail
VERSION="${1:-2.18.3}"
HERE="$(cd "$(dirname "$0")" && pwd)"
OUT="$HERE/wwwroot/bootstrap-italia"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm pack --silent "bootstrap-italia@$VERSION" >/dev/null && tar xzf "bootstrap-italia-$VERSION.tgz")
DIST="$WORK/package/dist"
rm -rf "$OUT"
mkdir -p "$OUT/css" "$OUT/svg" "$OUT/fonts/Titillium_Web" "$OUT/fonts/Roboto_Mono"
cp "$WORK/package/LICENSE" "$OUT/LICENSE"
cp "$DIST/css/bootstrap-italia.min.css" "$OUT/css/"
cp "$DIST/svg/sprites.svg" "$OUT/svg/"
for family in Titillium_Web Roboto_Mono; do
  cp "$DIST/fonts/$family/"*.woff2 "$OUT/fonts/$family/"
  for licence in OFL.txt LICENSE.txt; do [ -f "$DIST/fonts/$family/$licence" ] && cp "$DIST/fonts/$family/$licence" "$OUT/fonts/$family/"; done
done
echo "$VERSION" > "$OUT/VERSION"
echo "bootstrap-italia $VERSION: $(du -sh "$OUT" | cut -f1) in $OUT"
