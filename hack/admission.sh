#!/usr/bin/env bash
# Turns the operator's authorization plugin on or off in a Docker daemon, without restarting it: authorization-plugins
# in its daemon.json, then SIGHUP (DESIGN.md §5, "Admission contract"). `off` restores daemon.json exactly as it was
# before `on`.
#
#   hack/admission.sh on  [--daemon DIR] [--name NAME] [--socket PATH]
#   hack/admission.sh off [--daemon DIR] [--name NAME]
#   hack/admission.sh status [--daemon DIR]
#
#   --daemon DIR   a test engine of hack/test-dockerd.sh (DIR/daemon.json, DIR/dockerd.pid, DIR/docker.sock);
#                  default: the machine's engine (/etc/docker/daemon.json, /var/run/docker.pid)
#   --name NAME    the plugin's name; default openclaw-operator
#   --socket PATH  where the operator serves it (run --admission-socket); default /run/docker/plugins/NAME.sock, which
#                  the daemon finds by itself; any other path is named in /etc/docker/plugins/NAME.spec
#
# Start the operator first: once the plugin is on, the daemon refuses every request while nothing answers on the
# socket (each after about 32 s), including the ones that would turn it off again; `off` needs no daemon request.
set -euo pipefail

log() { echo "admission.sh: $*" >&2; }
die() { log "$*"; exit 1; }

cmd=${1:-}
[ -n "$cmd" ] || die "usage: $0 on|off|status [--daemon DIR] [--name NAME] [--socket PATH]"
shift
config=/etc/docker/daemon.json
pidfile=/var/run/docker.pid
host=unix:///var/run/docker.sock
name=openclaw-operator
socket=
while [ $# -gt 0 ]; do
  case "$1" in
    --daemon) d=$(realpath -m "$2"); config=$d/daemon.json; pidfile=$d/dockerd.pid; host=unix://$d/docker.sock; shift 2 ;;
    --name) name=$2; shift 2 ;;
    --socket) socket=$2; shift 2 ;;
    *) die "unknown argument $1" ;;
  esac
done
[ -n "$socket" ] || socket=/run/docker/plugins/$name.sock
backup=$config.before-admission
spec=/etc/docker/plugins/$name.spec

# Sets authorization-plugins in daemon.json (other keys kept) to the JSON list $2.
set_plugins() {
  python3 - "$config" "$1" <<'PY'
import json, sys, os
path, plugins = sys.argv[1], json.loads(sys.argv[2])
config = {}
if os.path.exists(path) and open(path).read().strip():
    config = json.load(open(path))
config["authorization-plugins"] = plugins
tmp = path + ".tmp"
with open(tmp, "w") as f:
    json.dump(config, f, indent=2)
    f.write("\n")
os.replace(tmp, path)
PY
}

reload() {
  [ -f "$pidfile" ] || die "no daemon pid file at $pidfile: is the engine running?"
  kill -HUP "$(cat "$pidfile")"
  # The daemon logs the reload; give it a moment before the first request.
  sleep 0.5
}

case "$cmd" in
  on)
    [ -S "$socket" ] || die "nothing listens on $socket: start the operator with --admission (and --admission-socket $socket) first"
    mkdir -p "$(dirname "$config")"
    if [ ! -e "$backup" ]; then
      if [ -e "$config" ]; then cp -p "$config" "$backup"; else : > "$backup"; fi
    fi
    if [ "$socket" != "/run/docker/plugins/$name.sock" ]; then
      mkdir -p /etc/docker/plugins
      echo "unix://$socket" > "$spec"
    fi
    set_plugins "[\"$name\"]"
    reload
    log "authorization plugin $name on for the daemon at $host (daemon.json: $config; restore with: $0 off)"
    ;;
  off)
    # The running daemon keeps its plugins until told otherwise, even when the key disappears from daemon.json: reload
    # with an empty list, then put the file back as it was (its effective settings are then the same).
    if [ -e "$config" ] || [ -e "$backup" ]; then
      set_plugins "[]"
      reload
    fi
    if [ -e "$backup" ]; then
      if [ -s "$backup" ]; then mv "$backup" "$config"; else rm -f "$backup" "$config"; fi
    fi
    rm -f "$spec"
    log "authorization plugin $name off for the daemon at $host"
    ;;
  status)
    docker -H "$host" info --format '{{json .Plugins.Authorization}}' 2>&1 || true
    ;;
  *) die "unknown command $cmd" ;;
esac
