# Shared by submit/*.sh (sourced, not run): argument parsing and the JVM flags.
#   [--conf FILE] [--stages s1,s2,...] [key=value ...]
# Sets CONF, STAGES (array), STAGES_GIVEN (0/1), OVERRIDES (array). Exits 2 with one line on bad input.

POLYVAE_STAGES_ALL="synth train sample explore evaluate"

die() {
  echo "$(basename "$0"): $*" >&2
  exit 2
}

parse_submit_args() {
  local default_conf=$1 default_stages=$2
  shift 2
  CONF=$default_conf
  STAGES_GIVEN=0
  local stages_csv=$default_stages
  OVERRIDES=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --conf) [ $# -ge 2 ] || die "--conf needs a file"; CONF=$2; shift 2 ;;
      --conf=*) CONF=${1#--conf=}; shift ;;
      --stages) [ $# -ge 2 ] || die "--stages needs a list such as synth,train"; stages_csv=$2; STAGES_GIVEN=1; shift 2 ;;
      --stages=*) stages_csv=${1#--stages=}; STAGES_GIVEN=1; shift ;;
      -h|--help) usage; exit 0 ;;
      -*) die "unknown option $1 (try --help)" ;;
      *=*) OVERRIDES+=("$1"); shift ;;
      *) die "unexpected argument '$1': expected --conf FILE, --stages LIST or key=value" ;;
    esac
  done
  [ -f "$CONF" ] || die "config file $CONF not found"
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
