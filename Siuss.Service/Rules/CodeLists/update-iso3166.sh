#!/usr/bin/env bash
# Regenerates iso3166-numeric.csv and its licence from the npm package i18n-iso-countries (MIT), the one copy of the
# ISO 3166-1 list the register ships (the statistics reuse it). Run from anywhere; needs npm and python3.
set -euo pipefail
VERSION="${1:-7.14.0}"
HERE="$(cd "$(dirname "$0")" && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm pack --silent "i18n-iso-countries@$VERSION" >/dev/null && tar xzf "i18n-iso-countries-$VERSION.tgz")
cp "$WORK/package/LICENSE" "$HERE/LICENSE.i18n-iso-countries"
python3 - "$WORK/package/codes.json" "$HERE/iso3166-numeric.csv" "$VERSION" <<'PY'
import json, sys
codes = sorted(json.load(open(sys.argv[1])), key=lambda c: c[2])
with open(sys.argv[2], "w", newline="\n") as out:
    out.write(f"# ISO 3166-1 numeric, alpha-2, alpha-3; from the npm package i18n-iso-countries {sys.argv[3]} (MIT, LICENSE.i18n-iso-countries)\n")
    out.write("numeric;alpha2;alpha3\n")
    for alpha2, alpha3, numeric, _ in codes:
        out.write(f"{numeric};{alpha2};{alpha3}\n")
PY
echo "iso3166-numeric.csv: $(($(wc -l < "$HERE/iso3166-numeric.csv") - 2)) countries from i18n-iso-countries $VERSION"
