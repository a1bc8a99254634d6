#!/usr/bin/env bash
# Cost model: wall time and peak memory of every stage of the default pipeline (submit/local.sh, Spark
# local[2]) at several dataset sizes, measured on this machine. In local mode the driver and the executors
# are one JVM per stage, so the peak resident set (GNU time's %M: the JVM heap, ND4J's off-heap buffers and
# the natives) is driver and executors together. Prints Markdown tables on stdout; logs go to each size's
# folder.
#   bench/cost-model.sh [EPOCHS] [SIZE...]      (defaults: 10 epochs; sizes 1000 4000 original)
# SIZE is a total image count split evenly over the four classes, or "original" for the original per-class
# counts (19,423 images). Data and outputs go to $POLYVAE_BENCH_DIR (default bench/results/cost-model/SIZE).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
. "$repo/submit/common.sh"
cd "$repo"
epochs=${1:-10}
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 4000 original)
base=${POLYVAE_BENCH_DIR:-$repo/bench/results/cost-model}
command -v /usr/bin/time >/dev/null || die "bench/cost-model.sh needs GNU time (/usr/bin/time, Debian package time)"
polyvae_build job

echo "| images | stage | seconds | peak RSS (MB) |"
echo "|---|---|---:|---:|"
for size in "${sizes[@]}"; do
  case $size in
    original) count=null ;;
    *[!0-9]*|'') die "size '$size': expected a total image count or 'original'" ;;
    *) count=$(( size / 4 )) ;;
  esac
  work=$base/$size
  rm -rf "$work"
  mkdir -p "$work"
  for stage in synth train sample explore evaluate; do
    /usr/bin/time -f '%e %M' -o "$work/time-$stage" \
      submit/local.sh --stages "$stage" "polyvae.synth.count-per-class=$count" "polyvae.train.epochs=$epochs" \
      "polyvae.data.dir=$work/data" "polyvae.output.dir=$work/out" > "$work/$stage.log" 2>&1 \
      || die "stage $stage at size $size failed: see $work/$stage.log"
    read -r seconds kb < "$work/time-$stage"
    [ "$stage" != synth ] || images=$(find "$work/data" -name '*.jpg' | wc -l)
    printf '| %d | %s | %.0f | %d |\n' "$images" "$stage" "$seconds" $(( kb / 1024 ))
  done
done
echo
echo "Training epochs (metrics/train.csv): median seconds per epoch and images/s, per size"
echo
echo "| size | training images | median epoch s | median images/s |"
echo "|---|---:|---:|---:|"
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
for size in "${sizes[@]}"; do
  csv=$base/$size/out/metrics/train.csv
  column() { head -1 "$csv" | tr , '\n' | grep -nx "$1" | cut -d: -f1; }
  images=$(sed -n 's/.*parameters; \([0-9]*\) training images.*/\1/p' "$base/$size/train.log" | head -1)
  printf '| %s | %s | %.1f | %.0f |\n' "$size" "$images" \
    "$(tail -n +2 "$csv" | cut -d, -f"$(column seconds)" | median)" \
    "$(tail -n +2 "$csv" | cut -d, -f"$(column images_per_second)" | median)"
done
