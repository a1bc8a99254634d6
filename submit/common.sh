# Shared by submit/*.sh and bench/*.sh (sourced, not run): argument parsing, building a module and
# launching Java with polyvae's JVM flags.
#   [--conf FILE] [--experiment FILE] [--stages s1,s2,...] [script options] [key=value ...]
# Sets CONF, EXPERIMENT (a preset layered over CONF, or empty), CONF_FILES (array: CONF then EXPERIMENT),
# STAGES (array), STAGES_GIVEN (0/1), OVERRIDES (array), and for the script options a script
# allows (yarn.sh: deploy-mode, jar, spark-conf; sweep.sh: out, presets) DEPLOY_MODE, JAR, SPARK_CONFS (array),
# OUT, PRESETS (array of absolute paths: the *.conf arguments). Exits 2 with one line on bad input.

POLYVAE_STAGES_ALL="synth train sample explore evaluate"
POLYVAE_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

die() {
  echo "$(basename "$0"): $*" >&2
  exit 2
}

# Prints the running script's header comment (from line 2 up to the first line that is not a comment).
usage() {
  sed -n '2,/^[^#]/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
}

# parse_submit_args DEFAULT_CONF DEFAULT_STAGES "ALLOWED SCRIPT OPTIONS" "$@"
parse_submit_args() {
  local default_conf=$1 default_stages=$2 allowed=" $3 "
  shift 3
  CONF=$default_conf
  STAGES_GIVEN=0
  local stages_csv=$default_stages
  OVERRIDES=()
  EXPERIMENT=
  DEPLOY_MODE=client
  JAR=
  SPARK_CONFS=()
  OUT=
  PRESETS=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --deploy-mode|--jar|--spark-conf|--out)
        local name=${1#--}
        case "$allowed" in *" $name "*) ;; *) die "option $1 is not for this script (try --help)" ;; esac
        [ $# -ge 2 ] || die "$1 needs a value"
        case "$name" in
          deploy-mode) DEPLOY_MODE=$2
            [ "$2" = client ] || [ "$2" = cluster ] || die "--deploy-mode must be client or cluster, got '$2'" ;;
          jar) JAR=$2 ;;
          spark-conf) case "$2" in *=*) SPARK_CONFS+=("$2") ;; *) die "--spark-conf needs key=value, got '$2'" ;; esac ;;
          out) OUT=$2 ;;
        esac
        shift 2 ;;
      --conf) [ $# -ge 2 ] || die "--conf needs a file"; CONF=$2; shift 2 ;;
      --conf=*) CONF=${1#--conf=}; shift ;;
      --experiment) [ $# -ge 2 ] || die "--experiment needs a file (conf/experiments/*.conf)"; EXPERIMENT=$2; shift 2 ;;
      --stages) [ $# -ge 2 ] || die "--stages needs a list such as synth,train"; stages_csv=$2; STAGES_GIVEN=1; shift 2 ;;
      --stages=*) stages_csv=${1#--stages=}; STAGES_GIVEN=1; shift ;;
      -h|--help) usage; exit 0 ;;
      -*) die "unknown option $1 (try --help)" ;;
      *=*) OVERRIDES+=("$1"); shift ;;
      *.conf)
        case "$allowed" in *" presets "*) ;; *) die "unexpected argument '$1': expected --conf FILE, --stages LIST or key=value" ;; esac
        [ -f "$1" ] || die "preset $1 not found"
        PRESETS+=("$(realpath "$1")"); shift ;;
      *) die "unexpected argument '$1': expected --conf FILE, --stages LIST or key=value" ;;
    esac
  done
  [ -f "$CONF" ] || die "config file $CONF not found"
  # Absolute, since the scripts change directory before they launch.
  CONF_FILES=("$(realpath "$CONF")")
  if [ -n "$EXPERIMENT" ]; then
    [ -f "$EXPERIMENT" ] || die "experiment file $EXPERIMENT not found"
    CONF_FILES+=("$(realpath "$EXPERIMENT")")
  fi
  IFS=',' read -r -a STAGES <<< "$stages_csv"
  [ ${#STAGES[@]} -gt 0 ] || die "--stages is empty"
  local s
  for s in "${STAGES[@]}"; do
    case " $POLYVAE_STAGES_ALL " in
      *" $s "*) ;;
      *) die "unknown stage '$s': expected one of ${POLYVAE_STAGES_ALL// /, }" ;;
    esac
  done
}

# The Java 17 module flags every polyvae JVM needs (one list, in submit/jvm.properties).
jvm_options() {
  local repo=$1
  sed -n '/^polyvae.jvm.options=/,/^[^ ]/p' "$repo/submit/jvm.properties" \
    | sed -e 's/^polyvae.jvm.options=//' -e 's/\\$//' | tr -s ' \n' ' '
}

# polyvae_build MODULE (job or bench): builds MODULE and the modules it depends on (mvn -pl MODULE -am
# package; not the reactor, whose dist module shades a 261 MB cluster jar) when its jar or runtime
# classpath is missing or older than a source, then sets POLYVAE_JAR (the module's jar) and
# POLYVAE_CLASSPATH (that jar and its runtime dependencies).
polyvae_build() {
  local module=$1
  local cp_file=$POLYVAE_REPO/$module/target/runtime-classpath.txt
  local sources=(pom.xml common/pom.xml common/src job/pom.xml job/src conf/application.conf submit/jvm.properties)
  [ "$module" = job ] || sources+=("$module/pom.xml" "$module/src")
  POLYVAE_JAR=$(polyvae_module_jar "$module")
  if [ -z "$POLYVAE_JAR" ] || [ ! -f "$cp_file" ] \
     || [ -n "$(cd "$POLYVAE_REPO" && find "${sources[@]}" -newer "$cp_file" -type f 2>/dev/null | head -1)" ]; then
    echo "$(basename "$0"): building polyvae-$module (mvn -pl $module -am package -DskipTests) ..." >&2
    (cd "$POLYVAE_REPO" && mvn -q -B -DskipTests -pl "$module" -am package) >&2
    POLYVAE_JAR=$(polyvae_module_jar "$module")
    [ -n "$POLYVAE_JAR" ] || die "the build left no jar in $module/target"
  fi
  POLYVAE_CLASSPATH=$POLYVAE_JAR:$(cat "$cp_file")
}

polyvae_module_jar() {
  ls "$POLYVAE_REPO/$1"/target/polyvae-"$1"-*.jar 2>/dev/null | grep -v -e sources -e tests | head -1 || true
}

# The environment every polyvae JVM starts with, as NAME=VALUE words (a variable the caller sets wins): the
# local and bench scripts' JVMs (polyvae_launch), and yarn.sh's driver, application master and executors.
# - DNNL_MAX_CPU_ISA (AVX2; ALL for no ceiling): oneDNN 2.3 in ND4J M2's onednn build takes its AVX-512
#   "avx512_common" kernels for the convolution backward-weights pass on any AVX-512 CPU, and on the AMD EPYC
#   machines we train on these are many times slower than its AVX2 kernels (the forward pass is about the same
#   with either); capped at AVX2 the whole training step is faster.
# - MALLOC_ARENA_MAX, MALLOC_MMAP_MAX_, MALLOC_TRIM_THRESHOLD_ (glibc's malloc): libnd4j's oneDNN helpers
#   malloc a blocked-layout copy of a convolution's arrays, and oneDNN a scratchpad, on every call and free
#   them after it. The largest (32 MiB for the decoder's last layer) reach glibc's mmap threshold, whose
#   ceiling is 32 MiB, so each call mapped fresh pages and the kernel faulted and zeroed them in again (README,
#   "Fresh pages on every call"). With chunk mmaps off, large blocks come from the heap, and up to the trim
#   threshold of free memory at its top is kept for the next call. One arena: every other arena is a set of
#   mmapped heaps of at most 64 MiB, which glibc unmaps as soon as one is free, and a JVM's threads (its main
#   thread too) would each get one. Other allocators and libcs ignore these.
# Only polyvae's JVMs get them: bench/train.sh's PyTorch peer keeps its own defaults.
polyvae_launch_env() {
  echo "DNNL_MAX_CPU_ISA=${DNNL_MAX_CPU_ISA:-AVX2} MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-1}" \
    "MALLOC_MMAP_MAX_=${MALLOC_MMAP_MAX_:-0} MALLOC_TRIM_THRESHOLD_=${MALLOC_TRIM_THRESHOLD_:-536870912}"
}

# polyvae_launch COMMAND [ARG ...]: the command with polyvae_launch_env exported to it.
polyvae_launch() {
  local setting
  for setting in $(polyvae_launch_env); do
    local -x "$setting"
  done
  "$@"
}

# polyvae_java [JVM OPTION ...] MAIN_CLASS [ARG ...]: java with polyvae's module flags and logging on the
# classpath of the last polyvae_build. OMP_NUM_THREADS and the like come from the caller's environment.
polyvae_java() {
  local jvm
  read -r -a jvm <<< "$(jvm_options "$POLYVAE_REPO")"
  polyvae_launch java "${jvm[@]}" -Dlog4j2.configurationFile="$POLYVAE_REPO/conf/log4j2.properties" \
    -cp "$POLYVAE_CLASSPATH" "$@"
}
