#!/usr/bin/env bash
# Checks deploy/systemd/openclaw-docker-operator.service:
#   1. `systemd-analyze verify` (syntax, directives, the ExecStart binary) and the hardening score
#      (`systemd-analyze security --offline`);
#   2. its ExecStart command line, run for real outside systemd with its paths moved into a temporary directory
#      (an empty manifest directory, so nothing is made on the Docker host): the jar accepts those arguments and the
#      operator starts, then stops on SIGTERM with the exit status the unit counts as success.
#
#   hack/check-systemd-unit.sh [JAR]     JAR defaults to operator/target/openclaw-docker-operator.jar
#
# Installs Debian's systemd package when systemd-analyze is missing (no service is started).
set -euo pipefail
cd "$(dirname "$0")/.."

UNIT=deploy/systemd/openclaw-docker-operator.service
JAR=${1:-operator/target/openclaw-docker-operator.jar}

log() { echo "check-systemd-unit: $*" >&2; }
die() { log "$*"; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v systemd-analyze >/dev/null; then
  log "installing systemd from Debian (for systemd-analyze)"
  had_policy=0; [ -e /usr/sbin/policy-rc.d ] && had_policy=1
  [ $had_policy = 1 ] || { printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null; as_root chmod +x /usr/sbin/policy-rc.d; }
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends systemd >/dev/null
  [ $had_policy = 1 ] || as_root rm -f /usr/sbin/policy-rc.d
fi

# ---- 1. systemd's own checks
out=$(systemd-analyze verify "$UNIT" 2>&1) || { echo "$out" >&2; die "systemd-analyze verify failed"; }
[ -z "$out" ] || { echo "$out" >&2; die "systemd-analyze verify warned (above)"; }
log "systemd-analyze verify $UNIT: no complaints"
score=$(systemd-analyze security --offline=yes "$UNIT" 2>/dev/null | sed -n 's/.*Overall exposure level for [^:]*: //p')
log "systemd-analyze security: exposure $score (0 = locked down, 10 = unprotected)"

# ---- 2. its command line, for real
[ -f "$JAR" ] || die "no jar at $JAR (mvn -B package -DskipTests)"
[ -f "${JAR%.jar}.jvm-options" ] || die "no ${JAR%.jar}.jvm-options beside the jar (mvn -B package -DskipTests puts it there)"
work=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill "$pid"; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work"/{manifests,state,cache}
# ExecStart with its continuation lines joined.
exec_start=$(sed -n '/^ExecStart=/,/[^\\]$/p' "$UNIT" | sed 's/^ExecStart=//; s/\\$//' | tr '\n' ' ')
[ -n "$exec_start" ] || die "no ExecStart in $UNIT"
cmd=${exec_start//\/etc\/openclaw-docker-operator\/manifests/$work/manifests}
cmd=${cmd//\/var\/lib\/openclaw-docker-operator/$work/state}
cmd=${cmd//\/var\/cache\/openclaw-docker-operator/$work/cache}
cmd=${cmd//\/opt\/openclaw-docker-operator\/openclaw-docker-operator.jsa/$(pwd)/${JAR%.jar}.jsa}
cmd=${cmd//\/opt\/openclaw-docker-operator\/openclaw-docker-operator.jvm-options/$(pwd)/${JAR%.jar}.jvm-options}
cmd=${cmd//\/opt\/openclaw-docker-operator\/openclaw-docker-operator.jar/$(pwd)/$JAR}
cmd=${cmd//127.0.0.1:9464/127.0.0.1:0}
cmd=${cmd//\$OPENCLAW_OPERATOR_ARGS/}
log "running ExecStart with its paths under $work"
# shellcheck disable=SC2086 # the command line is split into words as systemd splits it (no quoting in it)
set -- $cmd
"$@" >"$work/log" 2>&1 &
pid=$!
t0=$(date +%s)
until grep -q "http on" "$work/log"; do
  kill -0 "$pid" 2>/dev/null || { cat "$work/log" >&2; die "the operator exited before it started"; }
  [ $(( $(date +%s) - t0 )) -lt 120 ] || { cat "$work/log" >&2; die "the operator did not start within 120 s"; }
  sleep 0.5
done
log "started in $(( $(date +%s) - t0 )) s: $(grep -o 'for Docker host.*' "$work/log" | head -1)"
kill -TERM "$pid"
rc=0; wait "$pid" || rc=$?
pid=""
success=$(sed -n 's/^SuccessExitStatus=//p' "$UNIT")
case " $success 0 " in
  *" $rc "*) log "stopped on SIGTERM with status $rc, which the unit counts as success (SuccessExitStatus=$success)" ;;
  *) cat "$work/log" >&2; die "stopped on SIGTERM with status $rc, which systemd would count as a failure" ;;
esac
grep -q "stopping: finishing in-flight reconciles" "$work/log" || die "no clean stop in the log"
log "ok"
