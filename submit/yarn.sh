#!/usr/bin/env bash
# Runs polyvae stages on a YARN cluster with the cluster's spark-submit. Builds nothing: it takes the job jar
# (mvn -pl dist -am package -DskipTests builds dist/target/polyvae-cluster-VERSION.jar).
#
#   submit/yarn.sh [--conf FILE] [--experiment FILE] [--deploy-mode client|cluster] [--stages s1,s2,...]
#                  [--jar JAR] [--spark-conf key=value ...] [key=value ...]
#
# Defaults: --conf conf/yarn.conf, --deploy-mode client, --stages train,sample,explore,evaluate, the jar under dist/target.
# key=value arguments override the polyvae config; --spark-conf passes a Spark property to spark-submit.
# Environment: HADOOP_CONF_DIR or YARN_CONF_DIR (required), SPARK_HOME (spark-submit from its bin/, else PATH;
# POLYVAE_SPARK_SUBMIT names another), POLYVAE_EXECUTORS (2), POLYVAE_EXECUTOR_CORES (2), POLYVAE_TASK_CPUS (1),
# POLYVAE_EXECUTOR_MEMORY (4g), POLYVAE_EXECUTOR_OVERHEAD (2g), POLYVAE_DRIVER_MEMORY (4g), POLYVAE_QUEUE;
# DNNL_MAX_CPU_ISA and MALLOC_ARENA_MAX, MALLOC_MMAP_MAX_, MALLOC_TRIM_THRESHOLD_ override submit/common.sh's
# settings for the driver, the application master and the executors.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
. "$here/common.sh"

parse_submit_args "$repo/conf/yarn.conf" train,sample,explore,evaluate "deploy-mode jar spark-conf" "$@"

if [ -z "$JAR" ]; then
  JAR=$(ls "$repo"/dist/target/polyvae-cluster-*.jar 2>/dev/null | head -1 || true)
  [ -n "$JAR" ] || die "no job jar in $repo/dist/target: build it with 'mvn -pl dist -am package -DskipTests' or pass --jar"
fi
[ -f "$JAR" ] || die "job jar $JAR not found"

spark_submit=${POLYVAE_SPARK_SUBMIT:-${SPARK_HOME:+$SPARK_HOME/bin/}spark-submit}
command -v "$spark_submit" > /dev/null || die "spark-submit not found ('$spark_submit'): set SPARK_HOME or POLYVAE_SPARK_SUBMIT"

conf_dir=${HADOOP_CONF_DIR:-${YARN_CONF_DIR:-}}
[ -n "$conf_dir" ] || die "set HADOOP_CONF_DIR (or YARN_CONF_DIR) to the cluster's Hadoop configuration folder"
[ -d "$conf_dir" ] || die "HADOOP_CONF_DIR $conf_dir is not a folder"

# One property of a Hadoop *-site.xml (empty when absent); Hadoop writes them on one line or many.
site_property() {
  local file=$1 name=$2
  [ -f "$file" ] || return 0
  tr -d '\n' < "$file" | sed 's/<property>/\n/g' | grep -F "<name>$name</name>" \
    | sed -n 's/.*<value>\([^<]*\)<\/value>.*/\1/p' | head -1
}

# Fail in seconds, not after YARN's client retries for 15 minutes, when the ResourceManager is unreachable.
# (With ResourceManager HA the client fails over by itself; nothing to check here.)
if [ "$(site_property "$conf_dir/yarn-site.xml" yarn.resourcemanager.ha.enabled)" != true ]; then
  rm_address=$(site_property "$conf_dir/yarn-site.xml" yarn.resourcemanager.address)
  if [ -z "$rm_address" ]; then
    rm_host=$(site_property "$conf_dir/yarn-site.xml" yarn.resourcemanager.hostname)
    rm_address=${rm_host:-0.0.0.0}:8032
  fi
  rm_host=${rm_address%:*}
  [ "$rm_host" != 0.0.0.0 ] || rm_host=localhost
  if ! timeout 5 bash -c "exec 3<>/dev/tcp/$rm_host/${rm_address##*:}" 2> /dev/null; then
    die "YARN ResourceManager $rm_host:${rm_address##*:} (from $conf_dir/yarn-site.xml) is not reachable"
  fi
fi

executor_cores=${POLYVAE_EXECUTOR_CORES:-2}
task_cpus=${POLYVAE_TASK_CPUS:-1}
[ $(( executor_cores % task_cpus )) -eq 0 ] \
  || die "POLYVAE_EXECUTOR_CORES ($executor_cores) must be a multiple of POLYVAE_TASK_CPUS ($task_cpus)"
# ND4J/OpenMP starts one thread per core in every task: give each task as many threads as the cores it
# holds, so (executor cores / task cpus) tasks x OMP threads = the executor's cores, never more.
read -r -a jvm <<< "$(jvm_options "$repo")"
java_options="${jvm[*]}"

# The conf files travel with the application: in cluster mode the driver runs in a YARN container and
# reads them from its working directory.
confs=()
files=
for f in "${CONF_FILES[@]}"; do
  if [ "$DEPLOY_MODE" = cluster ]; then confs+=(--conf "$(basename "$f")"); else confs+=(--conf "$f"); fi
  files=${files:+$files,}$f
done

for stage in "${STAGES[@]}"; do
  args=(--master yarn --deploy-mode "$DEPLOY_MODE" --name "polyvae $stage" --class org.polyvae.job.Main
    --num-executors "${POLYVAE_EXECUTORS:-2}" --executor-cores "$executor_cores"
    --executor-memory "${POLYVAE_EXECUTOR_MEMORY:-4g}" --driver-memory "${POLYVAE_DRIVER_MEMORY:-4g}"
    --files "$files"
    --conf spark.task.cpus="$task_cpus"
    --conf spark.executor.memoryOverhead="${POLYVAE_EXECUTOR_OVERHEAD:-2g}"
    --conf spark.executorEnv.OMP_NUM_THREADS="$task_cpus"
    --conf spark.yarn.appMasterEnv.OMP_NUM_THREADS="$task_cpus"
    --conf "spark.executor.extraJavaOptions=$java_options"
    --conf "spark.driver.extraJavaOptions=$java_options"
    --conf "spark.yarn.am.extraJavaOptions=$java_options")
  for setting in $(polyvae_launch_env); do
    args+=(--conf "spark.executorEnv.$setting" --conf "spark.yarn.appMasterEnv.$setting")
  done
  [ -z "${POLYVAE_QUEUE:-}" ] || args+=(--queue "$POLYVAE_QUEUE")
  for c in "${SPARK_CONFS[@]}"; do
    args+=(--conf "$c")
  done
  echo "yarn.sh: stage $stage ($DEPLOY_MODE mode, conf ${CONF_FILES[*]}, jar $(basename "$JAR"))" >&2
  # The same settings for a client-mode driver, which spark-submit starts here.
  polyvae_launch "$spark_submit" "${args[@]}" "$JAR" "$stage" "${confs[@]}" "${OVERRIDES[@]}"
done
