#!/usr/bin/env bash
# SIUSS end to end on this machine, with nothing but the .NET 10 SDK (and openssl, if present):
# builds, starts the register in a fresh temp folder, registers a demo paying body (H501),
# writes today's sample flow, signs it, submits it, prints the signed receipt and its summary,
# fetches the receipt back and verifies it offline; the register is stopped on exit.
#
# Run from anywhere:  demo/run-demo.sh
# Knobs (environment): SIUSS_DEMO_PORT (first port to try, default 5080),
#                      SIUSS_DEMO_CONFIG (build configuration, default Release),
#                      SIUSS_DEMO_CERT_TOOL=dotnet (make the demo certificate without openssl).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CONFIG="${SIUSS_DEMO_CONFIG:-Release}"
PORT="${SIUSS_DEMO_PORT:-5080}"
ENTE="H501"

step() { printf '\n==> %s\n' "$*"; }
die() { printf 'run-demo: %s\n' "$*" >&2; exit 1; }

command -v dotnet >/dev/null || die "the .NET 10 SDK is required (https://dot.net); 'dotnet' is not on PATH."

# ---------------------------------------------------------------------------------------------
step "Building the register (Siuss.Host) and the client (siuss-client), $CONFIG"
for project in Siuss.Host/Siuss.Host.csproj Siuss.Client.Cli/Siuss.Client.Cli.csproj; do
    build_log="$(dotnet build "$REPO/$project" -c "$CONFIG" --nologo 2>&1)" || { printf '%s\n' "$build_log" >&2; die "building $project failed (log above)."; }
    echo "Built $project"
done
HOST_DLL="$REPO/Siuss.Host/bin/$CONFIG/net10.0/Siuss.Host.dll"
CLIENT_DLL="$REPO/Siuss.Client.Cli/bin/$CONFIG/net10.0/siuss-client.dll"
siuss_host() { dotnet "$HOST_DLL" "$@"; }
siuss_client() { dotnet "$CLIENT_DLL" "$@"; }

# Everything happens in a fresh folder: the register keeps its database and keys in ./data.
WORK="$(mktemp -d "${TMPDIR:-/tmp}/siuss-demo.XXXXXX")"
cd "$WORK"
SERVER_PID=""
stop_server() {
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        echo "Register stopped. Demo files are in $WORK"
    fi
}
trap stop_server EXIT

# A tiny HTTP GET with bash alone (no curl needed): prints the body, fails unless the answer is 200.
http_get() (
    exec 3<>"/dev/tcp/127.0.0.1/$PORT" || exit 1
    printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nConnection: close\r\n\r\n' "$1" "$PORT" >&3
    response="$(cat <&3)"
    [[ "$response" == "HTTP/1."[01]" 200"* ]] || exit 1
    printf '%s' "${response#*$'\r\n\r\n'}"
)
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ---------------------------------------------------------------------------------------------
while port_in_use "$PORT"; do PORT=$((PORT + 1)); done
URL="http://127.0.0.1:$PORT"
step "Starting the register on $URL (working folder $WORK)"
# Started directly (not through the shell function) so that $! is the server process itself.
dotnet "$HOST_DLL" serve --urls "$URL" >server.log 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 120); do
    if http_get /health >/dev/null 2>&1; then break; fi
    kill -0 "$SERVER_PID" 2>/dev/null || { cat server.log >&2; die "the register exited while starting (log above)."; }
    sleep 0.5
done
http_get /health >/dev/null 2>&1 || { cat server.log >&2; die "the register did not answer GET /health within 60 s."; }
echo "GET /health: $(http_get /health)"

# ---------------------------------------------------------------------------------------------
step "Making the demo body's signing certificate (self-signed RSA 2048, key in PKCS#8 PEM)"
if [[ "${SIUSS_DEMO_CERT_TOOL:-}" != "dotnet" ]] && command -v openssl >/dev/null; then
    openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 365 \
        -subj "/CN=Comune di Roma (demo)/O=$ENTE" \
        -addext "keyUsage=critical,digitalSignature,nonRepudiation" \
        -keyout body-key.pem -out body.pem 2>/dev/null
    echo "openssl: body.pem, body-key.pem"
else
    dotnet run "$REPO/demo/make-demo-cert.cs" -- body.pem body-key.pem
    echo "dotnet (make-demo-cert.cs): body.pem, body-key.pem"
fi

step "Registering the paying body $ENTE and pinning its certificate (operator CLI, same ./data as the register)"
siuss_host agency add --code "$ENTE" --name "Comune di Roma (demo)" --belfiore H501 --cert body.pem
siuss_host agency list

# ---------------------------------------------------------------------------------------------
TODAY="$(date -u +%Y%m%d)"
PAID="$(date -u -d '5 days ago' +%Y-%m-%d 2>/dev/null || date -u -v-5d +%Y-%m-%d)"
NOME="$ENTE.PS.$TODAY.1"
FLOW="$NOME.xml"
step "Writing today's flow $FLOW (from demo/sample-flow.xml; benefit paid on $PAID)"
sed -e "s/H501\.PS\.20250115\.1/$NOME/" -e "s/2025-01-10/$PAID/" "$REPO/demo/sample-flow.xml" >"$FLOW"
grep -E 'IdentificazioneFlusso|PrestazioniSociali' "$FLOW"

step "Signing the Trasmissione (siuss-client sign)"
siuss_client sign --flow "$FLOW" --ente "$ENTE" --cert body.pem --key body-key.pem --out trasmissione.xml

step "Submitting (siuss-client submit)"
status=0
siuss_client submit --url "$URL/AssistanceRecord.svc" --flow "$FLOW" --trasmissione trasmissione.xml --out ricevuta.xml | tee submit.out || status=$?
[[ $status -eq 0 ]] || die "submit exited with $status (1 refused, 2 SOAP fault, 3 usage, 4 unreachable)."

step "The signed receipt (ricevuta.xml), byte for byte as the register signed it"
cat ricevuta.xml
echo

# ---------------------------------------------------------------------------------------------
ID_ACQUISIZIONE="$(sed -n 's/^IdAcquisizione: //p' submit.out)"
step "Fetching the receipt back by IdAcquisizione $ID_ACQUISIZIONE (siuss-client get-receipt)"
siuss_client get-receipt --url "$URL/AssistanceRecord.svc" --ente "$ENTE" --cert body.pem --key body-key.pem \
    --id-acquisizione "$ID_ACQUISIZIONE" --register-cert data/receipt-certificate.pem --out ricevuta-copia.xml

step "Verifying the saved receipt offline against the register's certificate (siuss-client verify-receipt)"
siuss_client verify-receipt --receipt ricevuta.xml --register-cert data/receipt-certificate.pem

step "Done: flow $NOME acquired as $ID_ACQUISIZIONE"
