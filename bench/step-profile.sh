#!/usr/bin/env bash
# Where one training step of the default model spends its time: ComputationGraph.fit on one minibatch under
# Java Flight Recorder, the samples filed by part of the step (StepProfile). Prints a Markdown table on stdout.
#   bench/step-profile.sh [STEPS] [key=value ...]    (default 40 steps; overrides e.g. polyvae.model.adversarial-weight=0)
# Run it on an otherwise idle machine: the milliseconds are wall time.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
. "$repo/submit/common.sh"
cd "$repo"
steps=${1:-40}
shift || true
polyvae_build bench
OMP_NUM_THREADS=${OMP_NUM_THREADS:-$(nproc)} polyvae_java -Xmx4g org.polyvae.bench.StepProfile --steps "$steps" "$@"
