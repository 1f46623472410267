#!/usr/bin/env bash
# Conformance: scim2-tester (PyPI, 0.5.x) against `scim-console serve` on a
# free port with a fresh data dir and token. Usage: run.sh PATH/TO/scim-console
set -euo pipefail
binary=$(realpath "${1:?usage: run.sh PATH/TO/scim-console}")
here=$(cd "$(dirname "$0")" && pwd)
venv=${CONFORMANCE_VENV:-$here/../../.build/conformance-venv}

if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet 'scim2-tester==0.5.*' 'scim2-client[httpx2]'

data=$(mktemp -d)
out=$(mktemp)
cleanup() { [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null; wait "${pid:-}" 2>/dev/null || true; rm -rf "$data" "$out"; }
trap cleanup EXIT

token=$("$binary" token create --data-dir "$data")
"$binary" serve --data-dir "$data" --port 0 --enable-scim >"$out" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  grep -q '^Connector URL: ' "$out" && break
  kill -0 "$pid" 2>/dev/null || { cat "$out"; exit 1; }
  sleep 0.1
done
base=$(sed -n 's/^Connector URL: //p' "$out")
[ -n "$base" ] || { echo "serve did not start:"; cat "$out"; exit 1; }
echo "conformance: scim2-tester against $base"
"$venv/bin/python" "$here/scim2_tester_check.py" "$base" "$token"
