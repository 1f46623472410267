#!/usr/bin/env bash
# What the relay adds: userName filter GETs straight to a `scim-console
# serve` (the stand-in Grafana) against the same GETs through a second
# `serve --relay-to` in front of it, measured in one run.
#
#   bash Tests/Benchmarks/relay.sh [--users N] [--seconds S] [--rounds R]
#
# Builds in release mode and seeds N users (default 10,000). Each round
# (default 3) runs, direct then relayed: wrk at 1 connection for S seconds
# (default 10; latency p50 and p99), then at 32 connections (throughput).
# The CPU each process spent (utime + stime from /proc/PID/stat) over the
# 32-connection relayed run, divided by the requests answered, gives the
# relay's CPU per request beside the endpoint's own. Prints one line per
# measurement, then the medians of the rounds.
set -euo pipefail
cd "$(dirname "$0")/../.."
users=10000 seconds=10 rounds=3
while [ $# -gt 0 ]; do
  case "$1" in
    --users) users=$2; shift 2;; --seconds) seconds=$2; shift 2;; --rounds) rounds=$2; shift 2;;
    *) echo "unknown option $1"; exit 2;;
  esac
done

name=relay
source Tests/Benchmarks/prepare.sh

echo "relay: seeding $users users"
"$bin/console-bench" seed --data-dir "$work/grafana" --users "$users" --groups 10 --big-group 10 >/dev/null
token=$("$bin/scim-console" token create --data-dir "$work/grafana")

# start NAME ARGS... -> the server's base URL; its pid in pids and in $work/NAME.pid
start() {
  local name=$1; shift
  "$bin/scim-console" serve --port 0 "$@" > "$work/$name.out" 2>&1 &
  local pid=$!
  pids+=("$pid"); echo "$pid" > "$work/$name.pid"
  until grep -q '^Connector URL: ' "$work/$name.out"; do sleep 0.02; kill -0 "$pid" || { cat "$work/$name.out"; exit 1; }; done
  sed -n 's/^Listening on \([^ ]*\).*/\1/p' "$work/$name.out"
}
grafana=$(start grafana --data-dir "$work/grafana" --enable-scim)
relay=$(start relay --data-dir "$work/relay" --relay-to "$grafana$prefix")

# run_wrk BASE CONNECTIONS SECONDS -> "rps p50 p99 requests errors"
run_wrk() {
  BENCH_IDS=$work/grafana/bench-ids.txt BENCH_TOKEN=$token BENCH_PREFIX=$prefix BENCH_USERS=$users BENCH_LUA=$work/lua \
    wrk -t"$(( $2 < 2 ? $2 : 2 ))" -c"$2" -d"${3}s" --timeout 10s -s "$work/lua/filter.lua" "$1" 2>/dev/null | sed -n 's/^RESULT //p'
}
# cpu NAME -> the process's user + system time so far, in clock ticks
cpu() { awk '{print $14 + $15}' "/proc/$(cat "$work/$1.pid")/stat"; }
ticks=$(getconf CLK_TCK)

run_wrk "$relay" 8 3 >/dev/null  # warm-up through both, discarded
declare -a p50_direct p50_relay p99_direct p99_relay rps_direct rps_relay cpu_relay cpu_grafana
for round in $(seq 1 "$rounds"); do
  read -r _ d50 d99 _ _ <<< "$(run_wrk "$grafana" 1 "$seconds")"
  read -r _ r50 r99 _ _ <<< "$(run_wrk "$relay" 1 "$seconds")"
  read -r drps _ _ _ derr <<< "$(run_wrk "$grafana" 32 "$seconds")"
  rb=$(cpu relay) gb=$(cpu grafana)
  read -r rrps _ _ rn rerr <<< "$(run_wrk "$relay" 32 "$seconds")"
  ra=$(cpu relay) ga=$(cpu grafana)
  rc=$(awk -v a="$ra" -v b="$rb" -v n="$rn" -v t="$ticks" 'BEGIN{printf "%.3f", (a - b) / t * 1e6 / n}')
  gc=$(awk -v a="$ga" -v b="$gb" -v n="$rn" -v t="$ticks" 'BEGIN{printf "%.3f", (a - b) / t * 1e6 / n}')
  echo "relay: round $round: 1 connection p50 direct $d50 ms, relayed $r50 ms (p99 $d99 / $r99 ms);" \
    "32 connections direct $drps req/s ($derr errors), relayed $rrps req/s ($rerr errors);" \
    "CPU per relayed request: relay $rc µs, endpoint $gc µs"
  p50_direct+=("$d50"); p50_relay+=("$r50"); p99_direct+=("$d99"); p99_relay+=("$r99")
  rps_direct+=("$drps"); rps_relay+=("$rrps"); cpu_relay+=("$rc"); cpu_grafana+=("$gc")
done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END{print a[int((NR + 1) / 2)]}'; }
added=()
for i in "${!p50_direct[@]}"; do added+=("$(awk -v r="${p50_relay[$i]}" -v d="${p50_direct[$i]}" 'BEGIN{printf "%.3f", r - d}')"); done
echo "relay: medians of $rounds rounds, $users users, ${seconds} s each:"
echo "  added p50 latency at 1 connection: $(median "${added[@]}") ms (direct $(median "${p50_direct[@]}") ms, relayed $(median "${p50_relay[@]}") ms; target under 1 ms)"
echo "  p99 at 1 connection: direct $(median "${p99_direct[@]}") ms, relayed $(median "${p99_relay[@]}") ms"
echo "  throughput at 32 connections: direct $(median "${rps_direct[@]}") req/s, relayed $(median "${rps_relay[@]}") req/s"
echo "  CPU per relayed request: relay $(median "${cpu_relay[@]}") µs, the endpoint behind it $(median "${cpu_grafana[@]}") µs"
