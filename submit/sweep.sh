#!/usr/bin/env bash
# The hyperparameter sweep: for every preset, train, sample and evaluate in Spark local mode (submit/local.sh),
# then rank the presets by the evaluate stage's figures (KID ratio of the raw samples, then their Fréchet ratio and confident share).
#
#   submit/sweep.sh [--conf FILE] [--out DIR] [--stages s1,s2,...] [PRESET.conf ...] [key=value ...]
#
# Defaults: --conf conf/local.conf, --out out/sweep, --stages train,sample,evaluate, presets conf/experiments/*.conf.
# Each preset runs in DIR/<preset name>/ (its own model, samples, evaluation; log in sweep.log, outcome in status);
# all share one dataset (synthesised first if missing) and one judge (DIR/judge). A failing preset is
# recorded and the sweep goes on. Writes DIR/ranking.csv and DIR/ranking.md and prints the table.
# key=value arguments apply to every preset (e.g. polyvae.train.epochs=5 for a quick sweep).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
. "$here/common.sh"

parse_submit_args conf/local.conf train,sample,evaluate "out presets" "$@"
[ -z "$EXPERIMENT" ] || die "--experiment is not for this script: name the presets as arguments (PRESET.conf ...)"
stages=$(IFS=,; echo "${STAGES[*]}")
case ",$stages," in *,evaluate,*) ;; *) die "--stages must include evaluate: the ranking reads its figures" ;; esac
out=${OUT:-out/sweep}
presets=("${PRESETS[@]}")
if [ ${#presets[@]} -eq 0 ]; then
  for f in "$repo"/conf/experiments/*.conf; do presets+=("$f"); done
fi
declare -A seen=()
for p in "${presets[@]}"; do
  name=$(basename "$p" .conf)
  [ -z "${seen[$name]:-}" ] || die "two presets are named $name: the run folders would collide"
  seen[$name]=1
done
mkdir -p "$out"
out=$(realpath "$out")
conf=${CONF_FILES[0]}

cd "$repo"
# The dataset once, before any preset (skipped when it exists).
POLYVAE_SKIP_EXISTING=1 submit/local.sh --conf "$conf" --stages synth "${OVERRIDES[@]}"

for p in "${presets[@]}"; do
  name=$(basename "$p" .conf)
  dir="$out/$name"
  mkdir -p "$dir"
  echo "sweep.sh: $name ($stages) -> $dir (log: $dir/sweep.log)" >&2
  echo running > "$dir/status"
  start=$(date +%s)
  if submit/local.sh --conf "$conf" --experiment "$p" --stages "$stages" \
      "polyvae.output.dir=$dir" "polyvae.evaluate.model-dir=$out/judge" "polyvae.sample.overwrite=true" \
      "${OVERRIDES[@]}" > "$dir/sweep.log" 2>&1; then
    echo ok > "$dir/status"
  else
    echo "failed (exit $?, see sweep.log)" > "$dir/status"
    echo "sweep.sh: $name failed; the last lines of $dir/sweep.log:" >&2
    tail -5 "$dir/sweep.log" >&2
  fi
  echo "sweep.sh: $name $(cat "$dir/status") in $(( $(date +%s) - start )) s" >&2
done

polyvae_build job
polyvae_java org.polyvae.job.sweep.SweepRanking "$out"
