# Sourced by bench.sh and relay.sh, from the repository's root, with $name
# set for messages: installs wrk if missing, builds scim-console and
# console-bench in release mode ($bin), makes a scratch folder ($work,
# removed on exit with every server whose pid is added to $pids), and copies
# the wrk scripts to $work/lua, each ending with the report that prints
# "RESULT rps p50 p99 requests errors".
command -v wrk >/dev/null || { echo "$name: installing wrk"; apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
echo "$name: building (release)"
swift build -c release --product scim-console >/dev/null
swift build -c release --product console-bench >/dev/null
bin=$(swift build -c release --show-bin-path)

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
prefix=/apis/scim.grafana.app/v0alpha1/namespaces/default

# wrk scripts (Tests/Benchmarks/wrk). Each reads ids.txt: line 1 the big group, then users outside it, "--", then every user id.
mkdir -p "$work/lua"
cp Tests/Benchmarks/wrk/*.lua "$work/lua/"
for s in health filter page create patch put; do cat "$work/lua/report.lua" >> "$work/lua/$s.lua"; done
