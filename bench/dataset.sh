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
polyvae_build bench
export OMP_NUM_THREADS=1
polyvae_java -Xmx6g org.polyvae.bench.DatasetBenchmark "$@"
