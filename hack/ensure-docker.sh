#!/usr/bin/env bash
# Makes sure a Docker engine answers on /var/run/docker.sock: installs Debian's docker.io
# (without letting the package start a service) and starts dockerd when no socket exists.
# Idempotent; safe to call from every other script.
set -euo pipefail

SOCK=/var/run/docker.sock
STATE_DIR=${OPENCLAW_OPERATOR_CACHE:-$HOME/.cache/openclaw-docker-operator}
PIDFILE=$STATE_DIR/dockerd.pid
LOG=$STATE_DIR/dockerd.log
mkdir -p "$STATE_DIR"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! [ -x /usr/sbin/dockerd ] || ! command -v busybox >/dev/null 2>&1 || ! [ -x /bin/busybox ]; then
  echo "ensure-docker: installing docker.io and busybox-static from Debian" >&2
  # policy-rc.d stops the package from starting a service we do not manage.
  had_policy=0; [ -e /usr/sbin/policy-rc.d ] && had_policy=1
  [ $had_policy = 1 ] || { printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null; as_root chmod +x /usr/sbin/policy-rc.d; }
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker.io busybox-static >/dev/null
  [ $had_policy = 1 ] || as_root rm -f /usr/sbin/policy-rc.d
fi

daemon_answers() { curl -sf --unix-socket "$SOCK" http://localhost/_ping >/dev/null 2>&1; }

if ! daemon_answers; then
  if [ -S "$SOCK" ] && [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
    echo "ensure-docker: dockerd (pid $(cat "$PIDFILE")) is starting" >&2
  else
    as_root rm -f "$SOCK"
    # Bridges of a daemon that did not stop cleanly keep their routes; the new daemon hands the same subnets out
    # again, and the stale route wins (containers answer "no route to host"). With no daemon here, none is live.
    for link in $(ip -o link show type bridge 2>/dev/null | awk -F': ' '{print $2}' | grep '^br-' || true); do
      echo "ensure-docker: removing the stale bridge $link" >&2
      as_root ip link delete "$link" || true
    done
    echo "ensure-docker: starting dockerd, log in $LOG" >&2
    # setsid: the daemon outlives the calling shell and its process group.
    as_root setsid /usr/sbin/dockerd >"$LOG" 2>&1 < /dev/null &
    echo $! > "$PIDFILE"
  fi
  for _ in $(seq 1 120); do daemon_answers && break; sleep 0.5; done
  daemon_answers || { echo "ensure-docker: dockerd did not answer within 60 s; see $LOG" >&2; tail -20 "$LOG" >&2; exit 1; }
  # setsid may fork: the daemon's own pid file names the daemon.
  [ ! -f /var/run/docker.pid ] || cp /var/run/docker.pid "$PIDFILE"
fi
echo "ensure-docker: engine $(curl -sf --unix-socket "$SOCK" http://localhost/version | sed -n 's/.*"Version":"\([^"]*\)".*"ApiVersion":"\([^"]*\)".*/\1 (API \2)/p' | head -1) ready on $SOCK" >&2
