#!/usr/bin/env bash
# Training throughput on a MiniYARNCluster (HDFS + YARN in one JVM, every executor its own JVM) with 1 and
# 2 single-core executors: the measured part of README's "Scaling" section. Prints a table (~6 minutes on
# 2 cores). Options: -Dpolyvae.bench.epochs=4 -Dpolyvae.bench.count-per-class=150 (passed to Maven).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -pl dist -am verify -Dtest=NoUnitTests -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=YarnScalingBenchmark "$@" 2>&1 \
  | sed -n '/^executors /,/^(MiniYARNCluster/p'
