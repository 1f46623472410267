#!/usr/bin/env bash
# Fuzzes the SCIM parsers with libFuzzer and AddressSanitizer.
#
#   bash Tests/Fuzz/run.sh [SECONDS] [TARGET...]
#
# Targets: filter, patchpath, user, group, patchop (json; default: all), each for
# SECONDS (default 600). The SCIM module depends only on JSONTokens, so each
# target is their sources plus Tests/Fuzz/FuzzBodies.swift plus one entry point,
# compiled by swiftc with -sanitize=fuzzer,address. The working corpus grows
# in .build/fuzz/corpus/TARGET (seeded from Tests/Fuzz/corpus/TARGET); a
# crash, hang or sanitizer report leaves its input in .build/fuzz/artifacts/
# and the script exits non-zero. Keep such an input under
# Tests/Fuzz/regressions/TARGET/ once fixed: `swift test` replays them all.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(filter patchpath user group patchop json)
out=.build/fuzz
mkdir -p "$out/artifacts"
status=0
for t in "${targets[@]}"; do
  echo "fuzz: building $t"
  swiftc -O -g -parse-as-library -sanitize=fuzzer,address -D FUZZING -module-name SCIMFuzz \
    Sources/JSONTokens/*.swift Sources/SCIM/*.swift Tests/Fuzz/FuzzBodies.swift Tests/Fuzz/StrictJSON.swift "Tests/Fuzz/Entry/$t.swift" -o "$out/$t" 2> "$out/$t.build.log" \
    || { cat "$out/$t.build.log"; exit 1; }
  mkdir -p "$out/corpus/$t"
  echo "fuzz: running $t for ${seconds}s"
  if ! "$out/$t" "$out/corpus/$t" "Tests/Fuzz/corpus/$t" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 \
      -max_len=65536 -artifact_prefix="$out/artifacts/$t-" -print_final_stats=1 > "$out/$t.log" 2>&1; then
    echo "fuzz: $t FAILED — see $out/$t.log and $out/artifacts/"
    status=1
  fi
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$out/$t.log" | sed "s/^/fuzz: $t /" || true
done
exit $status
