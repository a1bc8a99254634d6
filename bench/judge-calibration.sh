#!/usr/bin/env bash
# Judge calibration: does the evaluation tell? The evaluate stage's judge and reference score held-out
# real images, the same images blurred (Gaussian σ 1.5 px) and posterised (4 grays), Voronoi
# microstructures at the data's, half and double the grain density and at the data's density drawn sharp
# at the model's resolution, and the raw samples of the last run (polyvae.evaluate.samples, when present).
# Prints the Markdown table of README "Evaluation" on stdout; logs on stderr.
#   bench/judge-calibration.sh [KEY=VALUE ...]     (default: conf/local.conf, the default pipeline's data,
#                                                   judge and samples; synthesises the data when absent)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
. "$repo/submit/common.sh"
cd "$repo"
polyvae_build bench
if [ ! -d data/polysilicon ] && [ $# -eq 0 ]; then
  submit/local.sh --stages synth >&2
fi
cores=$(nproc)
OMP_NUM_THREADS=${OMP_NUM_THREADS:-$(( cores / 2 > 0 ? cores / 2 : 1 ))} polyvae_java -Xmx6g \
  org.polyvae.bench.JudgeCalibrationBenchmark --conf conf/local.conf --master "local[2]" "$@"
echo "($(java -version 2>&1 | head -1), $cores cores)"
