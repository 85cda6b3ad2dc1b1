# Sourced by scripts/demo and scripts/playground (which define root, say and die): the demo's environment, its
# emulator on a free port, and the dev stack pointed at it.
#
# The demo's state lives in one folder (VODJOBS_DEMO_STATE, default .pulumi-state/): Pulumi's file backend, the
# emulator's SQLite state (emulator/), its log, the port it last listened on, and the exports of `make emulator`.

export PATH="$root/.venv/bin:$PATH"
command -v pulumi >/dev/null 2>&1 || die "pulumi is not installed; run 'make setup' (or 'make demo', which runs it)"
state_dir=${VODJOBS_DEMO_STATE:-$root/.pulumi-state}   # tests point this at a temp dir
mkdir -p "$state_dir"
state_dir=$(cd "$state_dir" && pwd)
export PULUMI_BACKEND_URL="file://$state_dir"
# The dev stack's config holds the emulator's demo secret, encrypted with this passphrase.
export PULUMI_CONFIG_PASSPHRASE=vodjobs-demo
export PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
emulator_log=$state_dir/emulator.log

# running_emulator: succeeds, setting endpoint, when this state's emulator already runs (`make emulator`): two
# emulators on one state would each hold their own copy of it.
running_emulator() {
  local pid
  pid=$(cat "$state_dir/emulator.pid" 2>/dev/null) || return 1
  case "$(ps -p "$pid" -o args= 2>/dev/null)" in *vod_emulator*) ;; *) return 1 ;; esac
  endpoint="http://127.0.0.1:$(cat "$state_dir/emulator.port")"
}

# start_emulator: start the emulator on the port it had last time if that is free, else on any free port (a fixed
# port would hand a second checkout, or a second user, this one's emulator). Sets emulator (pid) and endpoint (URL).
start_emulator() {
  local port_file=$state_dir/emulator.port port
  port=$(cat "$port_file" 2>/dev/null || echo 0)
  case "$port" in ''|*[!0-9]*) port=0 ;; esac
  _launch_emulator "$port" || { [ "$port" != 0 ] && _launch_emulator 0; } \
    || { cat "$emulator_log" >&2; die "the emulator did not start (see above, or $emulator_log)"; }
  endpoint=$(sed -n 's/^vod-emulator listening on \(http:[^ ]*\).*/\1/p' "$emulator_log")
  echo "${endpoint##*:}" > "$port_file"
  echo "$emulator" > "$state_dir/emulator.pid"
}

_launch_emulator() {  # _launch_emulator PORT: 0 once it says where it listens, 1 when it exited first
  python -u -m vod_emulator --port "$1" --seed "$root/vod_emulator/seeds/demo.json" --state-dir "$state_dir/emulator" \
    >"$emulator_log" 2>&1 &
  emulator=$!
  for _ in $(seq 300); do
    grep -q '^vod-emulator listening on' "$emulator_log" 2>/dev/null && return 0
    kill -0 "$emulator" 2>/dev/null || { wait "$emulator" 2>/dev/null || true; return 1; }
    sleep 0.1
  done
  die "the emulator did not report its address within 30 s (see $emulator_log)"
}

stop_emulator() {  # a no-op when this script did not start it
  [ -n "${emulator:-}" ] || return 0
  kill "$emulator" 2>/dev/null || true
  wait "$emulator" 2>/dev/null || true
  rm -f "$state_dir/emulator.pid"
}

# point_dev_stack_at_emulator: select stack dev (created on first use) and set its vodjobs:endpoint to the emulator.
# Pulumi.dev.yaml is this checkout's own file, made from the reviewed Pulumi.dev.template.yaml and ignored by git,
# because the endpoint in it changes with the port.
point_dev_stack_at_emulator() {
  [ -f "$root/Pulumi.dev.yaml" ] || cp "$root/Pulumi.dev.template.yaml" "$root/Pulumi.dev.yaml"
  pulumi stack select --create dev --non-interactive >/dev/null
  if [ "$(pulumi config get vodjobs:endpoint --stack dev 2>/dev/null)" != "$endpoint" ]; then
    pulumi config set vodjobs:endpoint "$endpoint" --stack dev --non-interactive
  fi
}
