#!/usr/bin/env bash
# Convergence of parameter averaging against plain fit on the default model: the validation loss after EPOCHS
# epochs and after BUDGET seconds of training, for Spark local[2] at several averaging frequencies, learning
# rates and minibatch sizes, Spark local[1], and plain ComputationGraph.fit at minibatch 32 and 64 (README,
# Training, "Which averaging frequency and learning rate reach plain fit's loss per epoch?"). Prints a Markdown
# table on stdout; logs on stderr. Training is deterministic, so the losses repeat to the last digit; the
# images/s and the loss after BUDGET seconds mean something only on an otherwise idle machine.
#   bench/convergence.sh [EPOCHS] [BUDGET_SECONDS]        (defaults 6 and 60; data: bench/train.sh's)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/training-data.sh"
epochs=${1:-6}
budget=${2:-60}
# bench THREADS OUT_NAME TrainingBenchmark-options...: one table row. Each minibatch size has its own output
# folder, so that its batch files (exported by the first Spark run) are reused by the plain fit after it.
bench() {
  local threads=$1 out=$2
  shift 2
  training_benchmark "$threads" --model default --out "$work/convergence-$out" "$@"
}
echo "| run | threads per worker | training images/s | validation loss after $epochs epochs | validation loss after ${budget} s |"
echo "|---|---|---|---|---|"
# The rows of the README's table: local[2] by averaging frequency and learning rate, then minibatch 64 (whose
# export the plain fits at 64 reuse), one worker, and plain fit.
for setting in 5:0.003 5:0.0045 5:0.006 5:0.009 2:0.003 2:0.006 1:0.006; do
  bench "$worker_threads" b32 --mode spark --master "local[$cores]" \
    --set "polyvae.train.averaging-frequency=${setting%%:*}" --set "polyvae.model.learning-rate=${setting##*:}"
done
bench "$worker_threads" b64 --mode spark --master "local[$cores]" --set polyvae.train.batch-size=64
bench "$cores" b32 --mode spark --master 'local[1]'
bench "$cores" b32 --mode plain
bench "$cores" b64 --mode plain --set polyvae.train.batch-size=64
bench "$cores" b64 --mode plain --set polyvae.train.batch-size=64 --set polyvae.model.learning-rate=0.006
