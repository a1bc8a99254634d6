#!/usr/bin/env bash
# The hyperparameter sweep: for every preset, train, sample and evaluate in Spark local mode (submit/local.sh),
# then rank the presets by the evaluate stage's figures (Fréchet ratio of the raw samples, then confident share).
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

conf=conf/local.conf
out=out/sweep
stages=train,sample,evaluate
presets=()
overrides=()
while [ $# -gt 0 ]; do
  case "$1" in
    --conf) [ $# -ge 2 ] || die "--conf needs a file"; conf=$2; shift 2 ;;
    --out) [ $# -ge 2 ] || die "--out needs a folder"; out=$2; shift 2 ;;
    --stages) [ $# -ge 2 ] || die "--stages needs a list such as train,sample,evaluate"; stages=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    -*) die "unknown option $1 (try --help)" ;;
    *=*) overrides+=("$1"); shift ;;
    *.conf) [ -f "$1" ] || die "preset $1 not found"; presets+=("$(realpath "$1")"); shift ;;
    *) die "unexpected argument '$1': expected a preset file (*.conf), --conf, --out, --stages or key=value" ;;
  esac
done
[ -f "$conf" ] || die "config file $conf not found"
case ",$stages," in *,evaluate,*) ;; *) die "--stages must include evaluate: the ranking reads its figures" ;; esac
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
conf=$(realpath "$conf")

cd "$repo"
# The dataset once, before any preset (skipped when it exists).
POLYVAE_SKIP_EXISTING=1 submit/local.sh --conf "$conf" --stages synth "${overrides[@]}"

for p in "${presets[@]}"; do
  name=$(basename "$p" .conf)
  dir="$out/$name"
  mkdir -p "$dir"
  echo "sweep.sh: $name ($stages) -> $dir (log: $dir/sweep.log)" >&2
  echo running > "$dir/status"
  start=$(date +%s)
  if submit/local.sh --conf "$conf" --experiment "$p" --stages "$stages" \
      "polyvae.output.dir=$dir" "polyvae.evaluate.model-dir=$out/judge" "polyvae.sample.overwrite=true" \
      "${overrides[@]}" > "$dir/sweep.log" 2>&1; then
    echo ok > "$dir/status"
  else
    echo "failed (exit $?, see sweep.log)" > "$dir/status"
    echo "sweep.sh: $name failed; the last lines of $dir/sweep.log:" >&2
    tail -5 "$dir/sweep.log" >&2
  fi
  echo "sweep.sh: $name $(cat "$dir/status") in $(( $(date +%s) - start )) s" >&2
done

read -r -a jvm <<< "$(jvm_options "$repo")"
jar=$(ls job/target/polyvae-job-*.jar | grep -v -e sources -e tests | head -1)
java "${jvm[@]}" -Dlog4j2.configurationFile="$repo/conf/log4j2.properties" \
  -cp "$jar:$(cat job/target/runtime-classpath.txt)" org.polyvae.job.sweep.SweepRanking "$out"
