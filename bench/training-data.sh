# Sourced by the training benchmarks (train.sh, convergence.sh) after they set $here (the bench folder):
# submit/common.sh's launch helpers, the bench module built, and the dataset they share (300 synthesised
# images per class) made once under $work/data. Sets repo and work ($POLYVAE_BENCH_DIR, default
# bench/results/train), cores (this machine's) and worker_threads (OpenMP threads of each of the cores
# Spark workers in the local[cores] rows, as the README's tables ran them), defines training_benchmark and
# changes to the repository.
repo=$(dirname "$here")
. "$repo/submit/common.sh"
cd "$repo"
work=${POLYVAE_BENCH_DIR:-$repo/bench/results/train}
mkdir -p "$work"
polyvae_build bench
cores=$(nproc)
worker_threads=$(( cores / 2 > 0 ? cores / 2 : 1 ))
if [ ! -d "$work/data" ]; then
  submit/local.sh --stages synth "polyvae.data.dir=$work/data" "polyvae.output.dir=$work/synth-out" \
    polyvae.synth.count-per-class=300 >&2
fi
# training_benchmark THREADS TrainingBenchmark-options...: one TrainingBenchmark run on that dataset with
# OMP_NUM_THREADS=THREADS, for the caller's $epochs and $budget; prints its table row.
training_benchmark() {
  local threads=$1
  shift
  OMP_NUM_THREADS=$threads polyvae_java -Xmx6g org.polyvae.bench.TrainingBenchmark \
    --data "$work/data" --epochs "$epochs" --budget "$budget" "$@"
}
