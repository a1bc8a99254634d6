#!/usr/bin/env bash
# Runs polyvae stages in Spark local mode with SparkSubmit from the Maven-built classpath: no Spark
# install needed, only JDK 17 and Maven. Builds the project first when it is missing or out of date.
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
classpath_file=job/target/runtime-classpath.txt
jar=$(ls job/target/polyvae-job-*.jar 2>/dev/null | grep -v -e sources -e tests | head -1 || true)
if [ -z "$jar" ] || [ ! -f "$classpath_file" ] \
   || [ -n "$(find pom.xml common job/pom.xml job/src conf/application.conf submit/jvm.properties -newer "$classpath_file" -type f 2>/dev/null | head -1)" ]; then
  echo "local.sh: building polyvae (mvn package -DskipTests) ..." >&2
  mvn -q -B -DskipTests package >&2
  jar=$(ls job/target/polyvae-job-*.jar | grep -v -e sources -e tests | head -1)
fi

master=${POLYVAE_MASTER:-local[2]}
# ND4J/OpenMP would start one thread per core in every task thread: N task threads x threads <= cores.
cores=$(nproc)
tasks=$(echo "$master" | sed -n 's/^local\[\([0-9]*\)\]$/\1/p')
[ -n "$tasks" ] || tasks=$cores
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-$(( cores / tasks > 0 ? cores / tasks : 1 ))}

read -r -a jvm <<< "$(jvm_options "$repo")"
for stage in "${STAGES[@]}"; do
  extra=()
  if [ "$STAGES_GIVEN" = 0 ] || [ "${POLYVAE_SKIP_EXISTING:-0}" = 1 ]; then extra+=(--skip-existing); fi
  confs=()
  for f in "${CONF_FILES[@]}"; do confs+=(--conf "$f"); done
  echo "local.sh: stage $stage (master $master, conf ${CONF_FILES[*]})" >&2
  java "${jvm[@]}" -Xmx"${POLYVAE_DRIVER_MEMORY:-4g}" \
    -Dlog4j2.configurationFile="$repo/conf/log4j2.properties" \
    -cp "$jar:$(cat "$classpath_file")" \
    org.apache.spark.deploy.SparkSubmit --master "$master" --class org.polyvae.job.Main \
    "$jar" "$stage" "${confs[@]}" "${extra[@]}" "${OVERRIDES[@]}"
done
