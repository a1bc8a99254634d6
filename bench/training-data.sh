# Sourced by the training benchmarks (train.sh, convergence.sh) after they set $here (the bench folder):
# submit/common.sh's launch helpers, the bench module built, and the dataset they share (300 synthesised
# images per class) made once under $work/data. Sets repo and work ($POLYVAE_BENCH_DIR, default
# bench/results/train) and changes to the repository.
repo=$(dirname "$here")
. "$repo/submit/common.sh"
cd "$repo"
work=${POLYVAE_BENCH_DIR:-$repo/bench/results/train}
mkdir -p "$work"
polyvae_build bench
if [ ! -d "$work/data" ]; then
  submit/local.sh --stages synth "polyvae.data.dir=$work/data" "polyvae.output.dir=$work/synth-out" \
    polyvae.synth.count-per-class=300 >&2
fi
