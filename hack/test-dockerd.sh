#!/usr/bin/env bash
# A second Docker engine of its own for tests that would disturb the shared one: the authorization plugin (which,
# once configured, stands between the daemon and every client) and faults (a daemon stopped and started again).
# It has its own data root, exec root, socket, pid file and daemon.json, and runs in network and mount namespaces of its
# own, so it touches nothing of the engine on /var/run/docker.sock: its bridges, addresses and iptables rules are its
# own (a daemon beside another in one network namespace deletes the other's docker0 when told --bridge=none, and hands
# out the same subnets), and in its mount namespace /var/run/docker.sock is its socket, so a container it runs that
# mounts the Docker socket (the stack's socket proxy) reaches this engine, as on a host of its own. Its containers are
# out of the host's network's reach.
#
#   hack/test-dockerd.sh start DIR [dockerd flags...]   start one with its state in DIR; prints its DOCKER_HOST
#   hack/test-dockerd.sh stop DIR [SECONDS]             stop exactly the pid in DIR/dockerd.pid, keep DIR; it is killed
#                                                       if it has not stopped after SECONDS (default 20)
#   hack/test-dockerd.sh remove DIR                     remove its containers, stop it, kill any shim of it left and
#                                                       remove DIR
#   hack/test-dockerd.sh images DIR IMAGE...            copy images from the shared engine into it (docker save | load)
#
# Its configuration file is DIR/daemon.json (reloaded on SIGHUP): hack/admission.sh --daemon DIR turns the
# authorization plugin on and off in it.
set -euo pipefail

DOCKER=/usr/bin/docker
log() { echo "test-dockerd.sh: $*" >&2; }
die() { log "$*"; exit 1; }

cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || die "usage: $0 start|stop|remove|images DIR [...]"
shift 2
dir=$(realpath -m "$dir")
sock="unix://$dir/docker.sock"

answers() { curl -s --max-time 2 --unix-socket "$dir/docker.sock" -o /dev/null http://localhost/_ping 2>/dev/null; }
pid() { cat "$dir/dockerd.pid" 2>/dev/null || true; }
running() { local p; p=$(pid); [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }
descendants() { local c; for c in $(pgrep -P "$1" || true); do echo "$c"; descendants "$c"; done; }

stop() { # [SECONDS]
  local patience=${1:-20} p
  [[ "$patience" =~ ^[0-9]+$ ]] || die "stop: SECONDS must be a whole number, not '$patience'"
  running || { rm -f "$dir/dockerd.pid"; return 0; }
  p=$(pid)
  kill -TERM "$p"
  for _ in $(seq 1 $((patience * 5))); do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
  kill -0 "$p" 2>/dev/null && { log "dockerd $p did not stop in $patience s: killing it"; kill -KILL "$p"; }
  rm -f "$dir/dockerd.pid"
}

case "$cmd" in
  start)
    "$(dirname "$0")/ensure-docker.sh" >/dev/null 2>&1 || true
    mkdir -p "$dir/data" "$dir/exec"
    [ -f "$dir/daemon.json" ] || echo '{}' > "$dir/daemon.json"
    if running && answers; then echo "$sock"; exit 0; fi
    # setsid: it outlives the calling shell; its log beside its state. Private mount and network namespaces: the bind of
    # its socket over /var/run/docker.sock below is seen by it and its containers only.
    setsid unshare --mount --net --propagation private sh -c 'ip link set lo up && exec "$@"' dockerd \
      /usr/sbin/dockerd --config-file "$dir/daemon.json" --data-root "$dir/data" --exec-root "$dir/exec" \
      --pidfile "$dir/dockerd.pid" -H "$sock" "$@" >"$dir/dockerd.log" 2>&1 </dev/null &
    for _ in $(seq 1 150); do answers && break; sleep 0.2; done
    answers || { tail -20 "$dir/dockerd.log" >&2; die "dockerd in $dir did not answer within 30 s (log: $dir/dockerd.log)"; }
    nsenter --target "$(pid)" --mount mount --bind "$dir/docker.sock" "$(realpath /var/run/docker.sock)"
    echo "$sock"
    ;;
  stop) stop "${1:-}" ;;
  remove)
    # The plugin off first (it protects the stack's containers from everyone but the operator, and a stopped operator
    # fails every request), then containers: their shims would otherwise outlive the daemon (and its mounts).
    if running && grep -q authorization-plugins "$dir/daemon.json" 2>/dev/null; then
      echo '{"authorization-plugins": []}' > "$dir/daemon.json"
      kill -HUP "$(pid)"
      sleep 0.5
    fi
    if running && answers; then
      ids=$($DOCKER -H "$sock" ps -aq 2>/dev/null || true)
      [ -z "$ids" ] || $DOCKER -H "$sock" rm -f $ids >/dev/null 2>&1 || true
    fi
    stop
    # A container created or started while the daemon went away (an operator still at work on it) keeps its shim, which
    # outlives the daemon by design: kill each shim of this engine and what it runs.
    for shim in $(pgrep -f -- "-address $dir/exec/containerd/containerd.sock" || true); do
      kill -KILL $(descendants "$shim") "$shim" 2>/dev/null || true
    done
    { grep -F "$dir/" /proc/self/mountinfo || true; } | awk '{print $5}' | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
    rm -rf "$dir"
    ;;
  images)
    for image in "$@"; do
      $DOCKER save "$image" | $DOCKER -H "$sock" load >/dev/null
    done
    ;;
  *) die "unknown command $cmd" ;;
esac
