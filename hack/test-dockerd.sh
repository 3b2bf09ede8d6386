#!/usr/bin/env bash
# A second Docker engine of its own for tests that would disturb the shared one: the authorization plugin (which,
# once configured, stands between the daemon and every client) and faults (a daemon stopped and started again).
# It has its own data root, exec root, socket and pid file, no default bridge and no iptables rules, so it touches
# nothing of the engine on /var/run/docker.sock.
#
#   hack/test-dockerd.sh start DIR [dockerd flags...]   start one with its state in DIR; prints its DOCKER_HOST
#   hack/test-dockerd.sh stop DIR                       stop exactly the pid in DIR/dockerd.pid, keep DIR
#   hack/test-dockerd.sh remove DIR                     stop it and remove DIR (images and containers included)
#   hack/test-dockerd.sh images DIR IMAGE...            copy images from the shared engine into it (docker save | load)
#
# An authorization plugin is found through a spec file in /etc/docker/plugins/NAME.spec naming its socket; pass
# --authorization-plugin=NAME among the flags once the plugin listens (dockerd checks it at start, for about 30 s).
set -euo pipefail

DOCKER=/usr/bin/docker
log() { echo "test-dockerd.sh: $*" >&2; }
die() { log "$*"; exit 1; }

cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || die "usage: $0 start|stop|remove|images DIR [...]"
shift 2
sock="unix://$dir/docker.sock"

answers() { curl -sf --max-time 2 --unix-socket "$dir/docker.sock" http://localhost/_ping >/dev/null 2>&1; }

stop() {
  [ -f "$dir/dockerd.pid" ] || return 0
  local pid
  pid=$(cat "$dir/dockerd.pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && { log "dockerd $pid did not stop in 20 s: killing it"; kill -KILL "$pid"; }
  fi
  rm -f "$dir/dockerd.pid"
}

case "$cmd" in
  start)
    "$(dirname "$0")/ensure-docker.sh" >/dev/null 2>&1 || true
    mkdir -p "$dir/data" "$dir/exec"
    answers && { echo "$sock"; exit 0; }
    # setsid: it outlives the calling shell; its log beside its state.
    setsid /usr/sbin/dockerd --data-root "$dir/data" --exec-root "$dir/exec" --pidfile "$dir/dockerd.pid" -H "$sock" \
      --bridge=none --iptables=false --ip-masq=false "$@" >"$dir/dockerd.log" 2>&1 </dev/null &
    for _ in $(seq 1 150); do answers && break; sleep 0.2; done
    answers || { tail -20 "$dir/dockerd.log" >&2; die "dockerd in $dir did not answer within 30 s"; }
    echo "$sock"
    ;;
  stop) stop ;;
  remove)
    stop
    # Overlay mounts and netns files of a daemon stopped with containers left: unmounted before the tree goes.
    grep -F "$dir/" /proc/self/mountinfo | awk '{print $5}' | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
    rm -rf "$dir"
    ;;
  images)
    for image in "$@"; do
      $DOCKER save "$image" | $DOCKER -H "$sock" load >/dev/null
    done
    ;;
  *) die "unknown command $cmd" ;;
esac
