#!/usr/bin/env bash
# A full mirror read: the console, relaying to a `scim-console serve` (the
# stand-in Grafana) seeded with N users, reads them all into its mirror.
#
#   bash Tests/Benchmarks/mirror.sh [--users N] [--rounds R]
#
# Builds in release mode and seeds N users (default 100,000) and 10 teams.
# Each round (default 3) starts the console in tmux at 120x40 with a fresh
# data dir and the token in a file, and times from its start until the
# header no longer says "reading Grafana" and counts N users (polled every
# 50 ms). Then it presses R and times the re-read of an unchanged Grafana
# (until the header, having said "reading Grafana", says "mirror current"
# again), reads the console's peak resident memory (VmHWM in
# /proc/PID/status) and quits it. Prints one line per round, then medians.
set -euo pipefail
cd "$(dirname "$0")/../.."
users=100000 rounds=3
while [ $# -gt 0 ]; do
  case "$1" in
    --users) users=$2; shift 2;; --rounds) rounds=$2; shift 2;;
    *) echo "unknown option $1"; exit 2;;
  esac
done

name=mirror
source Tests/Benchmarks/prepare.sh
command -v tmux >/dev/null || { apt-get update -qq && apt-get install -y -qq tmux >/dev/null; }

echo "mirror: seeding $users users"
"$bin/console-bench" seed --data-dir "$work/grafana" --users "$users" --groups 10 --big-group 1000 >/dev/null
"$bin/scim-console" token create --data-dir "$work/grafana" > "$work/token"
chmod 600 "$work/token"
"$bin/scim-console" serve --port 0 --data-dir "$work/grafana" --enable-scim > "$work/grafana.out" 2>&1 &
pids+=("$!")
until grep -q '^Connector URL: ' "$work/grafana.out"; do sleep 0.02; done
grafana=$(sed -n 's/^Connector URL: //p' "$work/grafana.out")
counted=$(echo "$users" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta')

# wait_for TEXT... SECONDS: until the screen holds every TEXT, or fail after SECONDS.
wait_for() {
  local limit=${*: -1} screen
  local deadline=$(( $(date +%s) + limit ))
  while :; do
    screen=$(tmux -L mirrorbench capture-pane -p 2>/dev/null || true)
    local all=1
    for text in "${@:1:$#-1}"; do grep -qF "$text" <<< "$screen" || all=0; done
    [ "$all" = 1 ] && return 0
    if grep -q "read failed" <<< "$screen" || [ "$(date +%s)" -gt "$deadline" ]; then echo "$screen"; return 1; fi
    sleep 0.05
  done
}
declare -a seconds_all rss_all reread_all
for round in $(seq 1 "$rounds"); do
  console="$work/console-$round"
  tmux -L mirrorbench kill-server 2>/dev/null || true
  sleep 0.5  # a server still going away makes the next new-session fail
  start=$(date +%s.%N)
  tmux -L mirrorbench -f /dev/null new-session -d -x 120 -y 40 \
    "TERM=tmux-256color $bin/scim-console --data-dir $console --port 0 --relay-to $grafana --token-file $work/token --mirror-interval 3600"
  wait_for "mirror current" "$counted users" 300
  end=$(date +%s.%N)
  tmux -L mirrorbench send-keys R
  again=$(date +%s.%N)
  wait_for "reading Grafana" 10
  wait_for "mirror current" 300
  reread=$(awk -v a="$again" -v b="$(date +%s.%N)" 'BEGIN{printf "%.2f", b - a}')
  pid=$(pgrep -f "^$bin/scim-console --data-dir $console" | head -1)
  rss=$(awk '/^VmHWM:/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status")
  secs=$(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.2f", b - a}')
  echo "mirror: round $round: $users users read in $secs s, read again unchanged in $reread s; console peak RSS $rss MiB"
  seconds_all+=("$secs"); rss_all+=("$rss"); reread_all+=("$reread")
  tmux -L mirrorbench send-keys Q
  sleep 1
  tmux -L mirrorbench kill-server 2>/dev/null || true
done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END{print a[int((NR + 1) / 2)]}'; }
echo "mirror: medians of $rounds rounds, $users users:"
echo "  full read: $(median "${seconds_all[@]}") s (target under 20 s)"
echo "  re-read of an unchanged Grafana (R): $(median "${reread_all[@]}") s"
echo "  console peak resident memory: $(median "${rss_all[@]}") MiB (target under 200 MiB)"
