#!/bin/bash
# `make bench`: run every tests/bench/*-bench.sh and print its figures.
# Benchmarks measure; they never pass or fail on speed.
cd "$(dirname "$0")/../.." || exit 2
rc=0
for b in tests/bench/*-bench.sh; do
    [ -e "$b" ] || continue
    echo "=== $(basename "$b" .sh)"
    bash "$b" || { echo "(benchmark $b failed to run)"; rc=1; }
done
exit $rc
