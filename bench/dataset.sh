#!/usr/bin/env bash
# Dataset benchmarks: FE solves/s per core (32, 64, 128 px grids), microstructures generated per second,
# the synth stage's images/s on Spark local[1] and local[2], and the reader's images/s. Prints a table
# (Markdown) on stdout; progress on stderr.
#   bench/dataset.sh [--count-per-class N] [--fem-images N] [--work-dir DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
. "$repo/submit/common.sh"
cd "$repo"
mvn -q -B -DskipTests package >&2
jar=$(ls bench/target/polyvae-bench-*.jar | head -1)
read -r -a jvm <<< "$(jvm_options "$repo")"
export OMP_NUM_THREADS=1
java "${jvm[@]}" -Xmx6g -Dlog4j2.configurationFile="$repo/conf/log4j2.properties" \
  -cp "$jar:$(cat bench/target/runtime-classpath.txt)" org.polyvae.bench.DatasetBenchmark "$@"
