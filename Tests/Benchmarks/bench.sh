#!/usr/bin/env bash
# Benchmarks scim-console's endpoint against the peer SCIM server scim2-server
# (PyPI 0.8.x) with wrk on loopback, and the console's own budgets.
#
#   bash Tests/Benchmarks/bench.sh [--users N] [--groups M] [--seconds S] [--peer-seconds S] [--connections C] [--no-peer]
#
# Builds in release mode, seeds N users (default 100,000) and M groups
# (default 1,000, one of 5,000 members) on both servers, then runs each
# scenario for S seconds (default 10) at C connections (default 32). The
# peer's scenarios are bounded by --peer-seconds too: it is slow, and a
# bounded run says so rather than skipping it. The token check's cost is the
# filter scenario with the real check against one that always succeeds
# (`console-bench serve --auth token|always`, best of three each). Each
# server first gets 3 s of filters whose figures are discarded (warm-up).
# Last, the console's frames and the Directory's own cost of a deep page and
# a filter (`console-bench frames`, `console-bench pages`).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
users=100000 groups=1000 big=5000 seconds=10 peer_seconds=10 connections=32 peer=1
while [ $# -gt 0 ]; do
  case "$1" in
    --users) users=$2; shift 2;; --groups) groups=$2; shift 2;; --seconds) seconds=$2; shift 2;;
    --peer-seconds) peer_seconds=$2; shift 2;; --connections) connections=$2; shift 2;; --no-peer) peer=0; shift;;
    *) echo "unknown option $1"; exit 2;;
  esac
done
# The PATCH scenario adds users from outside the big group: half the users at most are in it.
[ "$big" -gt $((users / 2)) ] && big=$((users / 2))

name=bench
source Tests/Benchmarks/prepare.sh

# run_wrk NAME BASE IDS TOKEN SECONDS -> "rps p50 p99 requests errors"
run_wrk() {
  BENCH_IDS=$3 BENCH_TOKEN=$4 BENCH_PREFIX=$prefix BENCH_USERS=$users BENCH_LUA=$work/lua \
    wrk -t2 -c"$connections" -d"${5}s" --timeout 10s -s "$work/lua/$1.lua" "$2" 2>/dev/null | sed -n 's/^RESULT //p'
}

# --- ours ---
data=$work/ours
echo "bench: seeding scim-console with $users users, $groups groups"
"$bin/console-bench" seed --data-dir "$data" --users "$users" --groups "$groups" --big-group "$big"
token=$("$bin/scim-console" token create --data-dir "$data")
# The SCIM feature toggle on, as `serve --enable-scim` would write it (console-bench serve needs it).
printf '[feature_toggles]\nenableSCIM = true\n' > "$data/grafana.ini"
declare -A auth round_rps
pairs=()
# What the token check costs: the filter scenario against the same endpoint
# (console-bench serve) with the real check, then with one that always
# succeeds, alternating, three rounds. Reported two ways: best of three
# each, and the median of the three rounds' own differences (the two runs
# of a round are seconds apart, so the machine's swings, 20% between
# rounds, mostly cancel). Run first, on the freshly seeded data, before the
# write scenarios leave a log to checkpoint.
for round in 1 2 3; do
  for mode in token always; do
    "$bin/console-bench" serve --data-dir "$data" --auth "$mode" > "$work/auth.out" 2>&1 &
    apid=$!
    until grep -q '^Listening on' "$work/auth.out"; do sleep 0.05; kill -0 "$apid" || { cat "$work/auth.out"; exit 1; }; done
    abase=$(sed -n 's/^Listening on \([^ ]*\).*/\1/p' "$work/auth.out")
    run_wrk filter "$abase" "$data/bench-ids.txt" "$token" 2 > /dev/null  # warm-up, discarded
    rps=$(run_wrk filter "$abase" "$data/bench-ids.txt" "$token" "$seconds" | cut -d' ' -f1)
    echo "bench: auth   $mode round $round: $rps req/s"
    auth[$mode]=$(awk -v a="$rps" -v b="${auth[$mode]:-0}" 'BEGIN{print (a > b) ? a : b}')
    round_rps[$mode]=$rps
    kill "$apid"; wait "$apid" 2>/dev/null || true
  done
  pairs+=("$(awk -v a="${round_rps[token]}" -v b="${round_rps[always]}" 'BEGIN{printf "%.1f", (b - a) / b * 100}')")
done

"$bin/scim-console" serve --data-dir "$data" --port 0 --enable-scim > "$work/serve.out" 2>&1 &
pids+=($!)
start_ns=$(date +%s%N)
until grep -q '^Listening on' "$work/serve.out"; do sleep 0.005; done
ready_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
base=$(sed -n 's/^Listening on //p' "$work/serve.out")
echo "bench: serve ready in ${ready_ms} ms with $users users on disk"

declare -A ours theirs unlogged
# The newest exchange id in the request log: the log writes behind the answers,
# and drops what it cannot keep up with (counted, and warned about in
# serve.out), so each scenario says how many of its answers it left unlogged.
logged_max() {
  python3 -c 'import sqlite3, sys
print(sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True).execute("SELECT coalesce(max(id), 0) FROM request_log").fetchone()[0])' \
    "$data/scim-console.sqlite-requests"
}
# A discarded warm-up (3 s of filters), as for the peer below: the first
# seconds after a start fill the connections' page caches.
run_wrk filter "$base" "$data/bench-ids.txt" "$token" 3 > /dev/null
for s in health filter page create patch put; do
  sleep 1; before=$(logged_max)  # the writer has caught up with the scenario before
  ours[$s]=$(run_wrk "$s" "$base" "$data/bench-ids.txt" "$token" "$seconds")
  sleep 1; after=$(logged_max)
  # Answers wrk counted that the log lacks; requests cut off when wrk stopped are
  # answered and logged but not counted, so a fully logged scenario shows 0.
  unlogged[$s]=$(awk -v n="$(echo "${ours[$s]}" | cut -d' ' -f4)" -v d=$((after - before)) 'BEGIN{print (n > d) ? n - d : 0}')
  echo "bench: ours   $s: ${ours[$s]} (unlogged: ${unlogged[$s]})"
done
# Ours stays up, idle, for the paired filter rounds below.

# --- the peer ---
filter_pairs=()
if [ "$peer" = 1 ]; then
  python3 -m venv "$work/venv"
  "$work/venv/bin/pip" install --quiet 'scim2-server==0.8.*' werkzeug
  peer_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  echo "bench: seeding scim2-server with $users users, $groups groups (in-process, slow)"
  "$work/venv/bin/python" Tests/Benchmarks/peer_server.py "$peer_port" bench-token "$users" "$groups" "$big" "$work/peer-ids.txt" > "$work/peer.out" 2>&1 &
  pids+=($!)
  until grep -q '^ready' "$work/peer.out"; do sleep 1; kill -0 "${pids[-1]}" || { cat "$work/peer.out"; exit 1; }; done
  run_wrk filter "http://127.0.0.1:$peer_port" "$work/peer-ids.txt" bench-token 3 > /dev/null
  # The filter ratio in three paired rounds, ours then the peer's back to back: the two
  # passes above and below run minutes apart, and the machine's speed drifts by a fifth
  # in minutes. Run before the peer's slow scenarios, whose cut-off requests it would
  # still be working through.
  run_wrk filter "$base" "$data/bench-ids.txt" "$token" 3 > /dev/null  # ours, warm again after idling
  for round in 1 2 3; do
    o=$(run_wrk filter "$base" "$data/bench-ids.txt" "$token" "$seconds" | cut -d' ' -f1)
    p=$(run_wrk filter "http://127.0.0.1:$peer_port" "$work/peer-ids.txt" bench-token "$peer_seconds" | cut -d' ' -f1)
    sleep 1  # the peer answers what wrk cut off
    filter_pairs+=("$(awk -v a="$o" -v b="$p" 'BEGIN{ if (b > 0) printf "%.1f", a/b; else print "inf" }')")
    echo "bench: filter round $round: ours $o, peer $p req/s"
  done
  for s in filter page create patch put; do
    theirs[$s]=$(run_wrk "$s" "http://127.0.0.1:$peer_port" "$work/peer-ids.txt" bench-token "$peer_seconds")
    echo "bench: peer   $s: ${theirs[$s]}"
  done
  # It may still be working through requests wrk gave up on: stop it before the console is measured.
  kill "${pids[-1]}" 2>/dev/null || true
  wait "${pids[-1]}" 2>/dev/null || true
fi
kill "${pids[0]}" 2>/dev/null || true
wait "${pids[0]}" 2>/dev/null || true
# Said by serve as it stops: exchanges whose long response bodies the log's
# writer, behind, did not keep (list pages: the deep page scenario's).
behind=$(grep "^The request log's writer fell behind" "$work/serve.out" || echo "The request log's writer kept up: every exchange logged whole.")

# --- report ---
ceiling=$(echo "${ours[health]}" | cut -d' ' -f1)
echo
echo "Endpoint, $users users, $groups groups, $connections connections, wrk ${seconds}s per scenario (peer ${peer_seconds}s)"
printf '%-22s %10s %9s %9s %8s   %10s %9s %9s\n' scenario "ours req/s" "p50 ms" "p99 ms" "ceiling" "peer req/s" "peer p99" "ours/peer"
for s in health filter page create patch put; do
  read -r rps p50 p99 n err <<< "${ours[$s]}"
  frac=$(awk -v a="$rps" -v b="$ceiling" 'BEGIN{printf "%.2f", a/b}')
  if [ -n "${theirs[$s]:-}" ]; then
    read -r prps pp50 pp99 pn perr <<< "${theirs[$s]}"
    ratio=$(awk -v a="$rps" -v b="$prps" 'BEGIN{ if (b > 0) printf "%.0f×", a/b; else print "-" }')
  else prps=- pp99=- ratio=-; fi
  printf '%-22s %10s %9s %9s %8s   %10s %9s %9s   (errors: %s, unlogged: %s)\n' "$s" "$rps" "$p50" "$p99" "$frac" "$prps" "$pp99" "$ratio" "$err" "${unlogged[$s]}"
done
echo "serve ready with $users users on disk: ${ready_ms} ms"
echo "$behind"
if [ ${#filter_pairs[@]} -gt 0 ]; then
  echo "filter, ours/peer in three paired rounds (ours then the peer's, back to back): $(echo "${filter_pairs[@]}" | sed 's| |× / |g')×," \
    "median $(printf '%s\n' "${filter_pairs[@]}" | sort -g | sed -n 2p)×"
fi
slower() { awk -v d="$1" 'BEGIN{if (d >= 0) printf "%.1f%% slower", d; else printf "%.1f%% faster", -d}'; }
echo "token check: filter with it ${auth[token]} req/s, with a check that always succeeds ${auth[always]} req/s" \
  "(best of three each): $(slower "$(awk -v a="${auth[token]}" -v b="${auth[always]}" 'BEGIN{print (b - a) / b * 100}')");" \
  "rounds $(echo "${pairs[@]}" | sed 's| | / |g')% slower (negative: faster), median $(slower "$(printf '%s\n' "${pairs[@]}" | sort -g | sed -n 2p)")"
echo
echo "Console budgets (console-bench frames)"
# Rendering is measured on a quiet database: copy the write scenarios' log back first.
for f in "$data/scim-console.sqlite" "$data/scim-console.sqlite-requests"; do
  python3 -c 'import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute("PRAGMA wal_checkpoint(TRUNCATE)")' "$f"
done
"$bin/console-bench" frames --data-dir "$data"
echo
echo "The Directory alone (console-bench pages: one thread, no HTTP, no log)"
"$bin/console-bench" pages --data-dir "$data" --users "$users"
