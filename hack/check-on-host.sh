#!/usr/bin/env bash
# Runs README.md's "On the host" instructions (the shell blocks between the check-on-host markers) as written,
# with what would collide on a shared Docker engine made this run's own:
#   /etc/openclaw-docker-operator/manifests, /var/lib/openclaw-docker-operator   -> a temporary directory
#   examples/local/                     -> a copy whose resources, networks, state directory and port are this run's
#   COMPOSE_PROJECT_NAME=openclaw-operator, 127.0.0.1:9464                       -> this run's name, a free port
# Each block must succeed; the last one removes everything, and a trap removes what a failure left behind.
#
#   hack/check-on-host.sh
#
# Installs Debian's docker-compose (1.29, what the README's blocks call) when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

log() { echo "check-on-host: $*" >&2; }
die() { log "$*"; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
DOCKER=/usr/bin/docker

hack/ensure-docker.sh
hack/standin-images.sh
if ! command -v docker-compose >/dev/null; then
  log "installing docker-compose from Debian"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends docker-compose >/dev/null
fi

run=it-$(head -c3 /dev/urandom | od -An -tx1 | tr -d ' \n')
work=$(mktemp -d "/tmp/$run.XXXX")
chmod 0755 "$work"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
ingress_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

compose() {
  COMPOSE_PROJECT_NAME=$run DOCKER_GID=0 OPENCLAW_MANIFESTS=$work/manifests OPENCLAW_STATE=$work/state \
    docker-compose -f deploy/compose.yaml "$@"
}
cleanup() {
  local rc=$?
  set +e
  if [ $rc != 0 ]; then
    log "failed; the operator's log:"
    compose logs --no-color --tail 40 >&2 2>/dev/null
  fi
  compose down -v >/dev/null 2>&1
  # What the operator made, should it not have removed it (names carry this run's prefix).
  $DOCKER ps -aq --filter "name=^/$run-" | xargs -r $DOCKER rm -f >/dev/null
  $DOCKER network ls -q --filter "name=^$run-" | xargs -r $DOCKER network rm >/dev/null
  rm -rf "$work" "/tmp/$run"
  exit $rc
}
trap cleanup EXIT

# examples/local/, renamed for this run (the same renaming OperatorImageIT does).
mkdir -p "$work/examples-local"
cp -r examples/local/. "$work/examples-local/"
for f in "$work"/examples-local/*.yaml; do
  sed -i -E \
    -e "s/^(\s*name: )(openclaw|openclaw-sandboxes|llm-providers)\s*$/\1$run-\2/" \
    -e "s/\{name: (openclaw|llm-providers)\}/{name: $run-\1}/g" \
    -e "s/(^|[^[:alnum:]_-])(openclaw-net|egress-net|ingress-net)($|[^[:alnum:]_-])/\1$run-\2\3/g" \
    -e "s|/var/lib/openclaw-local|/tmp/$run/gateway-state|g" \
    -e "s/hostPort: 18443/hostPort: $ingress_port/" "$f"
done
if grep -nE '(^|[^[:alnum:]_-])(openclaw-net|egress-net|ingress-net|/var/lib/openclaw-local|18443)' "$work"/examples-local/*.yaml; then
  die "the renamed copy still names the fixed names above"
fi
chmod -R a+rX "$work/examples-local"

# The README's blocks, in order, with the substitutions.
blocks=$(awk '/<!-- check-on-host: begin -->/{on=1; next} /<!-- check-on-host: end -->/{on=0} on' README.md \
  | awk '/^```sh$/{inb=1; n++; print "#BLOCK " n; next} /^```$/{inb=0; next} inb')
[ -n "$blocks" ] || die "no check-on-host blocks in README.md"
for fixed in /etc/openclaw-docker-operator /var/lib/openclaw-docker-operator; do
  [ ! -e "$fixed" ] || log "note: $fixed exists on this machine; this check does not touch it"
done
blocks=${blocks//\/etc\/openclaw-docker-operator\/manifests/$work/manifests}
blocks=${blocks//\/var\/lib\/openclaw-docker-operator/$work/state}
blocks=${blocks//examples\/local\//$work/examples-local/}
blocks=${blocks//COMPOSE_PROJECT_NAME=openclaw-operator/COMPOSE_PROJECT_NAME=$run}
blocks=${blocks//127.0.0.1:9464/127.0.0.1:$port}
script=$work/readme.sh
{
  echo 'set -euo pipefail'
  # The README says sudo; as root there may be none.
  [ "$(id -u)" = 0 ] && echo 'sudo() { "$@"; }'
  # deploy/compose.yaml's settings, pointing where the substituted blocks put things (its defaults are the README's paths).
  echo "export OPENCLAW_HTTP=127.0.0.1:$port OPENCLAW_MANIFESTS=$work/manifests OPENCLAW_STATE=$work/state"
  echo "$blocks" | sed -E 's/^#BLOCK ([0-9]+)$/echo "check-on-host: README block \1" >\&2/'
} >"$script"
! grep -nE '/etc/openclaw-docker-operator|/var/lib/openclaw-docker-operator|examples/local' "$script" \
  || die "the blocks above still name a host path or the fixed examples after substitution"
log "running README.md's on-host blocks ($(grep -c '^echo "check-on-host: README block' "$script") blocks), project $run, state in $work/state"
t0=$(date +%s)
bash -x "$script" || die "a README block failed (above)"
log "README blocks ran in $(( $(date +%s) - t0 )) s"
[ -z "$($DOCKER ps -aq --filter "name=^/$run-")" ] || die "containers of this run are left: $($DOCKER ps -a --filter "name=^/$run-" --format '{{.Names}}')"
[ -z "$($DOCKER network ls -q --filter "name=^$run-")" ] || die "networks of this run are left"
log "ok: started, every resource Ready, removed"
