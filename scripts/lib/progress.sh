# Sourced by scripts/setup and scripts/install-pulumi (which define say and die): no step longer than a few seconds
# runs silently. A step says what it does and how long it usually takes, then every 10 s how long it has run and the
# last line its command wrote, and at the end how long it took. VODJOBS_PROGRESS_EVERY changes the 10 s (for tests).

# run_with_progress LABEL USUALLY LOG -- CMD...: run CMD with its output in LOG; on failure print LOG and die.
run_with_progress() {
  local label=$1 usually=$2 log=$3 start pid rc t last every=${VODJOBS_PROGRESS_EVERY:-10} next
  shift 4
  say "$label (usually $usually) ..."
  start=$SECONDS next=$every
  "$@" >"$log" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    t=$(( SECONDS - start ))
    if [ "$t" -ge "$next" ]; then
      last=$(tail -n1 "$log" 2>/dev/null | tr -s ' \r' ' ' | cut -c1-90)
      say "  ... $label: ${t}s${last:+ (${last# })}"
      next=$(( t + every ))
    fi
  done
  rc=0; wait "$pid" || rc=$?
  if [ "$rc" -ne 0 ]; then
    cat "$log" >&2
    die "$label failed (exit $rc); the command was: $*"
  fi
  say "  done: $label in $(( SECONDS - start ))s"
}
