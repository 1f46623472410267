#!/usr/bin/env bash
# Compares two builds of the endpoint on one data set, alternating: the
# machine's speed drifts by a fifth in minutes, so two builds measured one
# after the other differ by that much whatever they do.
#
#   bash Tests/Benchmarks/ab.sh REV [--users N] [--rounds R] [--seconds S] [--connections C]
#
# Builds REV (in a git worktree) and the working tree in release mode, seeds
# N users (default 30,000) and 300 groups (one of N/20 members) once, then
# runs R rounds (default 3). In each round both builds serve a fresh copy of
# that data dir in turn (which goes first alternates), each getting 2 s of
# filters to warm up, then every scenario of bench.sh for S seconds
# (default 8) at C connections (default 32). Prints each round's req/s and
# the median of the rounds' new/old ratios per scenario.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -ge 1 ] || { echo "usage: ab.sh REV [--users N] [--rounds R] [--seconds S] [--connections C]"; exit 2; }
rev=$1; shift
users=30000 rounds=3 seconds=8 connections=32
while [ $# -gt 0 ]; do
  case "$1" in
    --users) users=$2; shift 2;; --rounds) rounds=$2; shift 2;; --seconds) seconds=$2; shift 2;;
    --connections) connections=$2; shift 2;; *) echo "unknown option $1"; exit 2;;
  esac
done
groups=300 big=$((users / 20))
command -v wrk >/dev/null || { echo "ab: installing wrk"; apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

work=$(mktemp -d)
old_tree=$work/old-tree
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  git worktree remove --force "$old_tree" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "ab: building $rev and the working tree (release)"
git worktree add --detach --quiet "$old_tree" "$rev"
(cd "$old_tree" && swift build -c release --product scim-console >/dev/null)
swift build -c release --product scim-console >/dev/null
swift build -c release --product console-bench >/dev/null
old_bin=$(cd "$old_tree" && swift build -c release --show-bin-path)/scim-console
new_bin=$(swift build -c release --show-bin-path)/scim-console
bench_bin=$(swift build -c release --show-bin-path)/console-bench

echo "ab: seeding $users users, $groups groups"
"$bench_bin" seed --data-dir "$work/seed" --users "$users" --groups "$groups" --big-group "$big"
token=$("$new_bin" token create --data-dir "$work/seed")

prefix=/apis/scim.grafana.app/v0alpha1/namespaces/default
mkdir -p "$work/lua"
cp Tests/Benchmarks/wrk/*.lua "$work/lua/"
scenarios=(health filter page create patch put)
for s in "${scenarios[@]}"; do cat "$work/lua/report.lua" >> "$work/lua/$s.lua"; done
run_wrk() {  # NAME BASE SECONDS -> req/s
  BENCH_IDS=$work/seed/bench-ids.txt BENCH_TOKEN=$token BENCH_PREFIX=$prefix BENCH_USERS=$users BENCH_LUA=$work/lua \
    wrk -t2 -c"$connections" -d"${3}s" --timeout 10s -s "$work/lua/$1.lua" "$2" 2>/dev/null | sed -n 's/^RESULT //p' | cut -d' ' -f1
}

declare -A rps
measure() {  # BUILD(old|new) ROUND
  local bin=$old_bin; [ "$1" = new ] && bin=$new_bin
  rm -rf "$work/run"; cp -a "$work/seed" "$work/run"
  "$bin" serve --data-dir "$work/run" --port 0 --enable-scim > "$work/serve.out" 2>&1 &
  local pid=$!; pids+=("$pid")
  until grep -q '^Listening on' "$work/serve.out"; do sleep 0.01; kill -0 "$pid" || { cat "$work/serve.out"; exit 1; }; done
  local base; base=$(sed -n 's/^Listening on //p' "$work/serve.out")
  run_wrk filter "$base" 2 > /dev/null
  for s in "${scenarios[@]}"; do
    sleep 1
    rps[$1,$2,$s]=$(run_wrk "$s" "$base" "$seconds")
    echo "ab: round $2 $1 $s ${rps[$1,$2,$s]}"
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true
}
for round in $(seq 1 "$rounds"); do
  if [ $((round % 2)) = 1 ]; then measure old "$round"; measure new "$round"; else measure new "$round"; measure old "$round"; fi
done

echo
echo "$rev (old) against the working tree (new): $users users, $connections connections, ${seconds}s per scenario, $rounds alternating rounds"
printf '%-8s %-28s %-28s %s\n' scenario "old req/s by round" "new req/s by round" "median new/old"
for s in "${scenarios[@]}"; do
  olds="" news="" ratios=()
  for round in $(seq 1 "$rounds"); do
    o=${rps[old,$round,$s]} n=${rps[new,$round,$s]}
    olds+="$o " news+="$n "
    ratios+=("$(awk -v a="$n" -v b="$o" 'BEGIN{ if (b > 0) printf "%.3f", a/b; else print "inf" }')")
  done
  median=$(printf '%s\n' "${ratios[@]}" | sort -g | sed -n "$(( (rounds + 1) / 2 ))p")
  printf '%-8s %-28s %-28s %s\n' "$s" "$olds" "$news" "$median"
done
