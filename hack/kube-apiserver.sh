#!/usr/bin/env bash
# A real Kubernetes 1.20 API server + etcd on loopback, for integration tests.
#
#   hack/kube-apiserver.sh build              build kube-apiserver + kubectl once (cached)
#   hack/kube-apiserver.sh start DIR          start etcd + apiserver, state in DIR;
#                                             last stdout line: path of DIR/kubeconfig
#   hack/kube-apiserver.sh stop DIR           stop exactly the pids in DIR/pids
#   hack/kube-apiserver.sh kubectl DIR ARGS   run the matching kubectl against DIR
#
# No downloads outside the package registries, so envtest's binary download is impossible:
# we build Kubernetes 1.20.2 from Debian 12's source package with Debian 11's Go 1.15 (Go 1.19
# builds an apiserver that crashes on the first custom-resource write), and use Debian's etcd.
# If $KUBEBUILDER_ASSETS holds kube-apiserver and etcd (a machine with envtest), those win.
# Cache: ${OPENCLAW_OPERATOR_CACHE:-$HOME/.cache/openclaw-docker-operator}/kubernetes
set -euo pipefail

CACHE_ROOT=${OPENCLAW_OPERATOR_CACHE:-$HOME/.cache/openclaw-docker-operator}
K8S_CACHE=$CACHE_ROOT/kubernetes
GO_ROOT=/usr/lib/go-1.15
APT_LIST=/etc/apt/sources.list.d/openclaw-kubernetes-build.sources
APT_PIN=/etc/apt/preferences.d/openclaw-bullseye
READY_TIMEOUT=60

log() { echo "kube-apiserver.sh: $*" >&2; }
die() { log "$*"; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# ---------------------------------------------------------------- binaries

# Sets APISERVER, ETCD, KUBECTL; returns 1 when the apiserver still has to be built.
resolve_binaries() {
  local a=${KUBEBUILDER_ASSETS:-}
  if [ -n "$a" ] && [ -x "$a/kube-apiserver" ] && [ -x "$a/etcd" ]; then
    APISERVER=$a/kube-apiserver ETCD=$a/etcd
    if [ -x "$a/kubectl" ]; then KUBECTL=$a/kubectl
    elif [ -x "$K8S_CACHE/kubectl" ]; then KUBECTL=$K8S_CACHE/kubectl
    else KUBECTL=$(command -v kubectl || true); fi
    return 0
  fi
  APISERVER=$K8S_CACHE/kube-apiserver KUBECTL=$K8S_CACHE/kubectl ETCD=/usr/bin/etcd
  [ -x "$APISERVER" ] && [ -x "$KUBECTL" ] && [ -x "$ETCD" ]
}

# The Debian mirror this machine already uses (deb822 or one-line format).
debian_mirror() {
  local m
  m=$(grep -hsE '^(URIs:|deb )' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list \
        /etc/apt/sources.list.d/*.list 2>/dev/null \
      | grep -oE 'https?://[^ ]+/debian/?( |$)' | head -1 | tr -d ' ')
  echo "${m:-http://deb.debian.org/debian}"
}

install_prerequisites() {
  local mirror changed=0 pkgs=() p
  mirror=$(debian_mirror)
  # deb-src bookworm: `apt-get source kubernetes`. deb bullseye: only for golang-1.15-go,
  # pinned at priority 1 below so no other package is ever taken from bullseye.
  local want_list
  want_list="# Written by openclaw-docker-operator hack/kube-apiserver.sh
Types: deb-src
URIs: $mirror
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $mirror
Suites: bullseye
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
"
  local want_pin="# Written by openclaw-docker-operator hack/kube-apiserver.sh: bullseye only on request
Package: *
Pin: release n=bullseye
Pin-Priority: 1
"
  if [ "$(cat "$APT_PIN" 2>/dev/null)" != "$(printf '%s' "$want_pin")" ]; then
    printf '%s' "$want_pin" | as_root tee "$APT_PIN" >/dev/null; changed=1
  fi
  if [ "$(cat "$APT_LIST" 2>/dev/null)" != "$(printf '%s' "$want_list")" ]; then
    printf '%s' "$want_list" | as_root tee "$APT_LIST" >/dev/null; changed=1
  fi
  for p in rsync jq make openssl curl dpkg-dev etcd-server golang-1.15-go; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || pkgs+=("$p")
  done
  # apt-get source needs fresh lists whenever the source lines were just added.
  if [ $changed = 1 ] || [ ${#pkgs[@]} -gt 0 ]; then
    log "apt-get update"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  fi
  if [ ${#pkgs[@]} -gt 0 ]; then
    log "installing ${pkgs[*]}"
    # policy-rc.d exiting 101 keeps etcd-server's postinst from starting a system etcd
    # on the default ports; removed afterwards unless it was already there.
    local had_policy=0
    [ -e /usr/sbin/policy-rc.d ] && had_policy=1
    if [ $had_policy = 0 ]; then
      printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null
      as_root chmod +x /usr/sbin/policy-rc.d
    fi
    local rc=0
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-upgrade \
      --no-install-recommends "${pkgs[@]}" >/dev/null || rc=$?
    [ $had_policy = 1 ] || as_root rm -f /usr/sbin/policy-rc.d
    [ $rc = 0 ] || die "apt-get install failed ($rc)"
  fi
  [ -x "$GO_ROOT/bin/go" ] || die "$GO_ROOT/bin/go missing after installing golang-1.15-go"
}

cmd_build() {
  mkdir -p "$K8S_CACHE"
  # One build at a time, even when several test runs start together.
  exec 9>"$K8S_CACHE/.lock"
  flock 9
  if resolve_binaries; then
    log "using $APISERVER ($("$APISERVER" --version 2>/dev/null || echo '?')), $ETCD, $KUBECTL"
    return 0
  fi
  install_prerequisites
  resolve_binaries && return 0 # KUBEBUILDER_ASSETS users only lacked etcd-server, if anything
  local start work src ver
  start=$(date +%s)
  work=$(mktemp -d "$K8S_CACHE/build.XXXXXX")
  # The 1.6 GB source tree, build output and Go caches go; only the two binaries stay.
  trap 'rm -rf "$work"' EXIT
  log "fetching Debian source package kubernetes/bookworm into $work"
  (cd "$work" && apt-get source -qq kubernetes/bookworm >/dev/null 2>"$work/apt-source.log") \
    || { cat "$work/apt-source.log" >&2; die "apt-get source kubernetes/bookworm failed"; }
  src=$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'kubernetes-*' | head -1)
  [ -n "$src" ] || die "no unpacked kubernetes-* tree in $work"
  # No .git in a source package: give the build its version (1.20.5+really1.20.2-... -> v1.20.2)
  # so `--version` and /version say 1.20.2 rather than v0.0.0-master.
  ver=$(cd "$src" && dpkg-parsechangelog -S Version | sed -E 's/.*really//; s/-[^-]*$//; s/[-+~].*//')
  [[ $ver =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || ver=1.20.2
  cat >"$work/version.env" <<EOF
KUBE_GIT_VERSION='v$ver'
KUBE_GIT_MAJOR='${ver%%.*}'
KUBE_GIT_MINOR='$(echo "$ver" | cut -d. -f2)'
KUBE_GIT_TREE_STATE='clean'
KUBE_GIT_COMMIT=''
EOF
  log "building kube-apiserver + kubectl v$ver with Go 1.15 (about 4 min on 2 cores)"
  (
    cd "$src"
    # CGO_ENABLED=0: static binaries, no C toolchain needed.
    env PATH="$GO_ROOT/bin:$PATH" GOROOT="$GO_ROOT" CGO_ENABLED=0 \
      GOPATH="$work/gopath" GOCACHE="$work/gocache" GOFLAGS= \
      KUBE_GIT_VERSION_FILE="$work/version.env" \
      make WHAT="cmd/kube-apiserver cmd/kubectl" >"$work/make.log" 2>&1
  ) || { tail -40 "$work/make.log" >&2; die "make failed (log above)"; }
  local b
  for b in kube-apiserver kubectl; do
    install -m 0755 "$src/_output/bin/$b" "$K8S_CACHE/$b.tmp"
    mv -f "$K8S_CACHE/$b.tmp" "$K8S_CACHE/$b" # atomic for concurrent readers
  done
  rm -rf "$work"
  trap - EXIT
  log "built in $(( $(date +%s) - start )) s: $K8S_CACHE/kube-apiserver, $K8S_CACHE/kubectl"
  resolve_binaries || die "binaries missing after build"
}

ensure_binaries() {
  if ! resolve_binaries; then (cmd_build); fi
  resolve_binaries || die "no kube-apiserver/etcd/kubectl available"
}

# ---------------------------------------------------------------- certificates

gen_certs() {
  local d=$1/pki
  [ -s "$d/admin.crt" ] && [ -s "$d/sa.pub" ] && return 0
  mkdir -p "$d"
  (
    cd "$d"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 \
      -subj "/CN=openclaw-test-ca" -addext "basicConstraints=critical,CA:TRUE" \
      -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
    # Go verifies SANs only (no CN fallback): 127.0.0.1 and localhost.
    openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr \
      -subj "/CN=kube-apiserver" 2>/dev/null
    printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
      "extendedKeyUsage=serverAuth" "subjectAltName=IP:127.0.0.1,DNS:localhost" >server.ext
    openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 \
      -extfile server.ext -out server.crt 2>/dev/null
    # O=system:masters: cluster-admin under RBAC without any bindings.
    openssl req -newkey rsa:2048 -nodes -keyout admin.key -out admin.csr \
      -subj "/O=system:masters/CN=admin" 2>/dev/null
    printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
      "extendedKeyUsage=clientAuth" >admin.ext
    openssl x509 -req -in admin.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 \
      -extfile admin.ext -out admin.crt 2>/dev/null
    # Key pair that signs and verifies service-account tokens.
    openssl genrsa -out sa.key 2048 2>/dev/null
    openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
    rm -f ./*.csr ./*.ext ca.srl
    chmod 600 ./*.key
  )
}

# ---------------------------------------------------------------- processes

# A free loopback TCP port below the ephemeral range, not the etcd/apiserver defaults.
USED_PORTS=" "
free_port() {
  local listening p i
  listening=" $(awk 'NR>1 && $4=="0A" {split($2,a,":"); print a[2]}' /proc/net/tcp /proc/net/tcp6 \
    2>/dev/null | while read -r h; do printf '%d ' "0x$h"; done)"
  for i in $(seq 1 200); do
    p=$(( 20000 + RANDOM % 12000 ))
    case "$listening$USED_PORTS" in *" $p "*) continue ;; esac
    USED_PORTS="$USED_PORTS$p "
    echo "$p"; return 0
  done
  die "no free port found"
}

# setsid: own session, so the process outlives the calling shell and its signals.
# The inner sh records its own pid then execs, so the pid is exact even if setsid forks.
spawn() {
  local pidfile=$1 logfile=$2; shift 2
  rm -f "$pidfile"
  setsid sh -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@" </dev/null >"$logfile" 2>&1 &
  local i
  for i in $(seq 1 50); do [ -s "$pidfile" ] && break; sleep 0.1; done
  [ -s "$pidfile" ] || die "could not start $1"
  cat "$pidfile"
}

alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null && ! grep -qs '^State:.*Z' "/proc/$1/status"; }

pids_alive() {
  local p any=0
  [ -s "$1/pids" ] || return 1
  while read -r p; do alive "$p" && any=1 || return 1; done <"$1/pids"
  [ $any = 1 ]
}

api_get() { # api_get DIR PATH
  local port
  port=$(cat "$1/port")
  curl -sf --max-time 5 --cacert "$1/pki/ca.crt" --cert "$1/pki/admin.crt" \
    --key "$1/pki/admin.key" "https://127.0.0.1:$port$2"
}

cmd_stop() {
  local dir=$1 p i
  [ -d "$dir" ] || return 0
  if [ -s "$dir/pids" ]; then
    # Exactly the recorded pids (apiserver first, then etcd); never anything by name.
    while read -r p; do alive "$p" && kill -TERM "$p" 2>/dev/null || true; done <"$dir/pids"
    while read -r p; do
      for i in $(seq 1 100); do alive "$p" || break; sleep 0.1; done
      if alive "$p"; then log "pid $p ignored SIGTERM for 10 s; SIGKILL"; kill -KILL "$p" 2>/dev/null || true
        for i in $(seq 1 50); do alive "$p" || break; sleep 0.1; done; fi
    done <"$dir/pids"
    rm -f "$dir/pids"
  fi
  rm -rf "$dir/etcd-data"
}

cmd_start() {
  local dir=$1
  ensure_binaries
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  # Idempotent: a running, ready server in DIR is reused.
  if pids_alive "$dir" && [ -s "$dir/kubeconfig" ] && [ "$(api_get "$dir" /readyz || true)" = ok ]; then
    log "already running (pids $(tr '\n' ' ' <"$dir/pids"))"
    echo "$dir/kubeconfig"; return 0
  fi
  cmd_stop "$dir" # leftovers of a crashed run
  gen_certs "$dir"
  local t0 etcd_client etcd_peer port etcd_pid api_pid
  t0=$(date +%s%N)
  etcd_client=$(free_port) etcd_peer=$(free_port) port=$(free_port)
  echo "$port" >"$dir/port"

  etcd_pid=$(spawn "$dir/etcd.pid" "$dir/etcd.log" "$ETCD" --name=openclaw-test --logger=zap \
    --data-dir="$dir/etcd-data" \
    --listen-client-urls="http://127.0.0.1:$etcd_client" \
    --advertise-client-urls="http://127.0.0.1:$etcd_client" \
    --listen-peer-urls="http://127.0.0.1:$etcd_peer" \
    --initial-advertise-peer-urls="http://127.0.0.1:$etcd_peer" \
    --initial-cluster="openclaw-test=http://127.0.0.1:$etcd_peer" \
    --unsafe-no-fsync=true) # throwaway test data: skip fsync (accepted by 3.4.23, not in --help)
  echo "$etcd_pid" >"$dir/pids"

  local pki=$dir/pki
  api_pid=$(spawn "$dir/kube-apiserver.pid" "$dir/kube-apiserver.log" "$APISERVER" \
    --etcd-servers="http://127.0.0.1:$etcd_client" \
    --bind-address=127.0.0.1 --advertise-address=127.0.0.1 \
    --secure-port="$port" --insecure-port=0 \
    --cert-dir="$pki" \
    --tls-cert-file="$pki/server.crt" --tls-private-key-file="$pki/server.key" \
    --client-ca-file="$pki/ca.crt" \
    --service-account-key-file="$pki/sa.pub" \
    --service-account-signing-key-file="$pki/sa.key" \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --api-audiences=https://kubernetes.default.svc.cluster.local \
    --service-cluster-ip-range=10.0.0.0/24 \
    --authorization-mode=RBAC \
    --endpoint-reconciler-type=none \
    --disable-admission-plugins=ServiceAccount \
    --allow-privileged=true)
  # Stop order is this file's order: apiserver before etcd.
  printf '%s\n%s\n' "$api_pid" "$etcd_pid" >"$dir/pids"
  rm -f "$dir/etcd.pid" "$dir/kube-apiserver.pid"

  cat >"$dir/kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: openclaw-test
  cluster:
    server: https://127.0.0.1:$port
    certificate-authority: $pki/ca.crt
users:
- name: admin
  user:
    client-certificate: $pki/admin.crt
    client-key: $pki/admin.key
contexts:
- name: openclaw-test
  context:
    cluster: openclaw-test
    user: admin
    namespace: default
current-context: openclaw-test
EOF

  # Ready = /readyz ok and the bootstrap "default" namespace exists (tests write there).
  local deadline=$(( $(date +%s) + READY_TIMEOUT )) ready=0
  while [ "$(date +%s)" -lt "$deadline" ]; do
    if ! alive "$api_pid" || ! alive "$etcd_pid"; then break; fi
    if [ "$(api_get "$dir" /readyz || true)" = ok ] && api_get "$dir" /api/v1/namespaces/default >/dev/null; then
      ready=1; break
    fi
    sleep 0.25
  done
  if [ $ready = 0 ]; then
    if alive "$api_pid" && alive "$etcd_pid"; then log "not ready within ${READY_TIMEOUT} s"
    else log "a process exited before the server was ready"; fi
    log "etcd.log tail:"; tail -15 "$dir/etcd.log" >&2 || true
    log "kube-apiserver.log tail:"; tail -30 "$dir/kube-apiserver.log" >&2 || true
    cmd_stop "$dir"
    exit 1
  fi
  local ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  log "ready on https://127.0.0.1:$port in $((ms / 1000)).$(printf %03d $((ms % 1000))) s (pids $api_pid $etcd_pid, logs in $dir)"
  echo "$dir/kubeconfig"
}

cmd_kubectl() {
  local dir=$1; shift
  resolve_binaries || true
  [ -n "${KUBECTL:-}" ] && [ -x "$KUBECTL" ] || die "no kubectl; run: $0 build"
  [ -s "$dir/kubeconfig" ] || die "no $dir/kubeconfig; run: $0 start $dir"
  exec "$KUBECTL" --kubeconfig "$dir/kubeconfig" "$@"
}

usage() {
  sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

case "${1:-}" in
  build) cmd_build ;;
  start) [ $# -eq 2 ] || usage; cmd_start "$2" ;;
  stop) [ $# -eq 2 ] || usage; cmd_stop "$2" ;;
  kubectl) [ $# -ge 2 ] || usage; shift; cmd_kubectl "$@" ;;
  *) usage ;;
esac
