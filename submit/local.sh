#!/usr/bin/env bash
# Runs polyvae stages in Spark local mode with SparkSubmit from the Maven-built classpath: no Spark
# install needed, only JDK 17 and Maven. Builds the job module (mvn -pl job -am package) first when it is
# missing or out of date.
#
#   submit/local.sh [--conf FILE] [--experiment FILE] [--stages s1,s2,...] [key=value ...]
#
# Defaults: --conf conf/local.conf, --stages synth,train,sample,explore,evaluate. With the default stages, synth
# is skipped when the dataset already exists. --experiment layers a hyperparameter preset (conf/experiments/) over the conf.
# Environment: POLYVAE_MASTER (default local[2]), POLYVAE_DRIVER_MEMORY (4g), POLYVAE_SKIP_EXISTING=1 (skip synth
# when the dataset exists even with --stages, as submit/sweep.sh does).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
. "$here/common.sh"

parse_submit_args conf/local.conf synth,train,sample,explore,evaluate "" "$@"

cd "$repo"
polyvae_build job

master=${POLYVAE_MASTER:-local[2]}
# ND4J/OpenMP would start one thread per core in every task thread: N task threads x threads <= cores.
cores=$(nproc)
tasks=$(echo "$master" | sed -n 's/^local\[\([0-9]*\)\]$/\1/p')
[ -n "$tasks" ] || tasks=$cores
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-$(( cores / tasks > 0 ? cores / tasks : 1 ))}

confs=()
for f in "${CONF_FILES[@]}"; do confs+=(--conf "$f"); done
for stage in "${STAGES[@]}"; do
  extra=()
  # --skip-existing only changes synth (an existing dataset is reused); Main ignores it for the other stages.
  if [ "$stage" = synth ] && { [ "$STAGES_GIVEN" = 0 ] || [ "${POLYVAE_SKIP_EXISTING:-0}" = 1 ]; }; then
    extra+=(--skip-existing)
  fi
  echo "local.sh: stage $stage (master $master, conf ${CONF_FILES[*]})" >&2
  polyvae_java -Xmx"${POLYVAE_DRIVER_MEMORY:-4g}" \
    org.apache.spark.deploy.SparkSubmit --master "$master" --class org.polyvae.job.Main \
    "$POLYVAE_JAR" "$stage" "${confs[@]}" "${extra[@]}" "${OVERRIDES[@]}"
done
