# Shared by submit/*.sh (sourced, not run): argument parsing and the JVM flags.
#   [--conf FILE] [--experiment FILE] [--stages s1,s2,...] [script options] [key=value ...]
# Sets CONF, EXPERIMENT (a preset layered over CONF, or empty), CONF_FILES (array: CONF then EXPERIMENT),
# STAGES (array), STAGES_GIVEN (0/1), OVERRIDES (array), and for the script options a script
# allows (yarn.sh: deploy-mode, jar, spark-conf) DEPLOY_MODE, JAR, SPARK_CONFS (array). Exits 2 with one
# line on bad input.

POLYVAE_STAGES_ALL="synth train sample explore evaluate"

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
  while [ $# -gt 0 ]; do
    case "$1" in
      --deploy-mode|--jar|--spark-conf)
        local name=${1#--}
        case "$allowed" in *" $name "*) ;; *) die "option $1 is not for this script (try --help)" ;; esac
        [ $# -ge 2 ] || die "$1 needs a value"
        case "$name" in
          deploy-mode) DEPLOY_MODE=$2
            [ "$2" = client ] || [ "$2" = cluster ] || die "--deploy-mode must be client or cluster, got '$2'" ;;
          jar) JAR=$2 ;;
          spark-conf) case "$2" in *=*) SPARK_CONFS+=("$2") ;; *) die "--spark-conf needs key=value, got '$2'" ;; esac ;;
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
