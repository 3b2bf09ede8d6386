#!/usr/bin/env bash
# Builds the operator image without a registry, from the repository's Dockerfile.
#
#   hack/operator-image.sh [--jar JAR]   build (or reuse) the image; the last stdout line is its immutable reference
#
# No base image can be pulled here, so the Dockerfile's base (a Java 17 runtime at /opt/java/openjdk plus a POSIX
# shell, what eclipse-temurin:17-jre gives users with a registry) is made locally and imported:
#   - a jlink runtime from this machine's JDK with only the modules the jar needs (jdeps, plus the ones it loads
#     by name), at /opt/java/openjdk;
#   - busybox-static for /bin/sh and the C libraries that runtime links against (found with ldd);
#   - `docker import` of that root filesystem, then `docker build --build-arg JRE_IMAGE=<it>` of the very Dockerfile
#     users build, so paths, user, volume and entrypoint are the same by construction.
# Tags: openclaw-docker-operator:<chart appVersion> (what the chart runs by default) and
# openclaw-docker-operator:build-<key>, where key hashes the jar, the Dockerfile, this script, the JDK and busybox:
# an unchanged input reuses the image. Without --jar the jar is built with Maven when missing or older than the sources.
# Cache (jdeps results): ${OPENCLAW_OPERATOR_CACHE:-$HOME/.cache/openclaw-docker-operator}/operator-image
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

DOCKER=/usr/bin/docker # Debian's client, the engine's version
NAME=openclaw-docker-operator
JDK=/usr/lib/jvm/java-17-openjdk-amd64
# Loaded by name, so jdeps cannot see them: TLS with EC keys and curves (Docker over TLS, the API server).
EXTRA_MODULES=jdk.crypto.ec
CACHE=${OPENCLAW_OPERATOR_CACHE:-$HOME/.cache/openclaw-docker-operator}/operator-image

log() { echo "operator-image: $*" >&2; }
die() { log "$*"; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
now() { date +%s%N; }
ms_since() { echo $(( ($(now) - $1) / 1000000 )); }

jar=""
while [ $# -gt 0 ]; do
  case $1 in
    --jar) jar=${2:?--jar needs a path}; shift 2 ;;
    *) die "unknown argument $1 (usage: hack/operator-image.sh [--jar JAR])" ;;
  esac
done

t_all=$(now)
hack/ensure-docker.sh
[ -x "$JDK/bin/jlink" ] && [ -d "$JDK/jmods" ] || {
  log "installing openjdk-17-jdk-headless and openjdk-17-jmods from Debian (jlink needs the jmods)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
    openjdk-17-jdk-headless openjdk-17-jmods >/dev/null
}
command -v unzip >/dev/null || {
  log "installing unzip from Debian"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends unzip >/dev/null
}
[ -x /bin/busybox ] || die "/bin/busybox is missing (hack/ensure-docker.sh installs busybox-static)"

if [ -z "$jar" ]; then
  jar=operator/target/$NAME.jar
  if [ ! -f "$jar" ] || [ -n "$(find operator/src crds pom.xml operator/pom.xml -newer "$jar" -print -quit)" ]; then
    log "building the jar (mvn package -DskipTests)"
    t=$(now)
    mvn -q -B package -DskipTests
    log "jar built in $(ms_since "$t") ms"
  fi
fi
[ -f "$jar" ] || die "no jar at $jar"
jar=$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")
# The Java options every launch uses: beside the jar (mvn package puts them there), else the source.
jvm_options=${jar%.jar}.jvm-options
[ -f "$jvm_options" ] || jvm_options=operator/src/main/jvm/$NAME.jvm-options

version=$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\} *$/\1/p' charts/openclaw-docker-operator/Chart.yaml)
[ -n "$version" ] || die "no appVersion in charts/openclaw-docker-operator/Chart.yaml"

jar_sha=$(sha256sum "$jar" | cut -d' ' -f1)
jdk_id="$("$JDK/bin/java" -version 2>&1 | tr '\n' ' ')"
busybox_id=$(sha256sum /bin/busybox | cut -d' ' -f1)
key=$( { echo "$jar_sha"; sha256sum Dockerfile hack/operator-image.sh "$jvm_options" | cut -d' ' -f1; echo "$jdk_id"; echo "$busybox_id"; } \
  | sha256sum | cut -c1-16)
ref=$NAME:build-$key

if [ "$($DOCKER image inspect -f '{{index .Config.Labels "io.openclaw.operator.build-key"}}' "$ref" 2>/dev/null || true)" = "$key" ]; then
  $DOCKER tag "$ref" "$NAME:$version"
  log "up to date: $ref (also $NAME:$version)"
  echo "$ref"
  exit 0
fi

mkdir -p "$CACHE"
work=$(mktemp -d "$CACHE/build.XXXXXX")
trap 'rm -rf "$work"' EXIT

# ---- modules: jdeps. The libraries' part is cached by their entries' checksums (jdeps on the whole jar takes a
# minute or more); the operator's own classes are small and checked every time.
deps_key=$(unzip -v "$jar" | awk '$NF !~ /^io\/openclaw\// && $7 ~ /^[0-9a-f]{8}$/ {print $7, $NF}' | sha256sum | cut -c1-16)
deps_file=$CACHE/modules-deps-$deps_key
if [ ! -s "$deps_file" ]; then
  t=$(now)
  "$JDK/bin/jdeps" --ignore-missing-deps --multi-release 17 --print-module-deps "$jar" >"$work/modules" 2>"$work/jdeps.err" \
    || { cat "$work/jdeps.err" >&2; die "jdeps failed"; }
  mv "$work/modules" "$deps_file"
  log "jdeps on the whole jar: $(cat "$deps_file") ($(ms_since "$t") ms)"
fi
t=$(now)
mkdir -p "$work/own"
unzip -q "$jar" 'io/openclaw/*' -d "$work/own"
own=$("$JDK/bin/jdeps" --ignore-missing-deps --multi-release 17 --print-module-deps "$work/own") || die "jdeps on the operator's classes failed"
modules=$( { cat "$deps_file"; echo; echo "$own"; echo "$EXTRA_MODULES"; } | tr ',' '\n' | tr -d ' \t\r' | grep -v '^$' | sort -u | paste -sd, -)
log "modules: $modules (operator's classes checked in $(ms_since "$t") ms)"

# ---- the base: jlink runtime + busybox + the C libraries, imported; keyed by its own inputs
base_key=$( { echo "$modules"; echo "$jdk_id"; echo "$busybox_id"; sha256sum hack/operator-image.sh | cut -d' ' -f1; } | sha256sum | cut -c1-16)
base=$NAME-base:$base_key
if ! $DOCKER image inspect "$base" >/dev/null 2>&1; then
  t=$(now)
  rootfs=$work/rootfs
  mkdir -p "$rootfs"/{bin,etc,tmp,opt/java,sbin}
  chmod 1777 "$rootfs/tmp"
  "$JDK/bin/jlink" --add-modules "$modules" --output "$rootfs/opt/java/openjdk" \
    --strip-debug --no-man-pages --no-header-files --compress=2
  # The operator is headless: java.desktop is there for java.beans, never for AWT, fonts, images or sound. Their
  # native libraries would drag X11 and a dozen other libraries in; without them AWT would fail to load, as intended.
  rm -f "$rootfs"/opt/java/openjdk/lib/lib{awt,awt_headless,awt_xawt,fontmanager,javajpeg,jawt,jsound,lcms,mlib_image,splashscreen}.so
  # Debian's JDK keeps its CA bundle in /etc (lib/security/cacerts is a link there): give the runtime a real file.
  if [ ! -s "$rootfs/opt/java/openjdk/lib/security/cacerts" ] || [ -L "$rootfs/opt/java/openjdk/lib/security/cacerts" ]; then
    rm -f "$rootfs/opt/java/openjdk/lib/security/cacerts"
    if [ -s /etc/ssl/certs/java/cacerts ]; then cp /etc/ssl/certs/java/cacerts "$rootfs/opt/java/openjdk/lib/security/cacerts"; fi
  fi
  cp /bin/busybox "$rootfs/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || ln -s busybox "$rootfs/bin/$applet"
  done
  # Every shared library the runtime's executables and libraries load, at the path the loader looks for it.
  find "$rootfs/opt/java/openjdk" -type f \( -name '*.so' -o -perm -u+x \) -print0 \
    | xargs -0 ldd 2>/dev/null | awk '/=> \//{print $3} /^\t\/[^ ]+ \(/{print $1}' | sort -u >"$work/libs"
  [ -s "$work/libs" ] || die "ldd found no libraries for the runtime"
  while read -r lib; do
    mkdir -p "$rootfs$(dirname "$lib")"
    cp -L "$lib" "$rootfs$lib"
  done <"$work/libs"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n' >"$rootfs/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$rootfs/etc/group"
  # Without it glibc asks DNS before /etc/hosts, and the JVM's own host name (in /etc/hosts) fails to resolve.
  printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$rootfs/etc/nsswitch.conf"
  tar -C "$rootfs" --numeric-owner --owner=0 --group=0 -c . | $DOCKER import \
    --change 'ENV JAVA_HOME=/opt/java/openjdk' \
    --change 'ENV PATH=/opt/java/openjdk/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "LABEL io.openclaw.operator.base-key=$base_key" \
    - "$base" >/dev/null
  $DOCKER run --rm --network none "$base" /opt/java/openjdk/bin/java -version >"$work/java-version" 2>&1 \
    || { cat "$work/java-version" >&2; $DOCKER rmi "$base" >/dev/null || true; die "the base image's Java does not start"; }
  log "base $base: $(head -1 "$work/java-version"); modules $modules ($(ms_since "$t") ms)"
fi

# ---- the image: the users' Dockerfile on that base, with only the jar and its Java options in the context
t=$(now)
mkdir -p "$work/context/operator/target"
cp "$jar" "$work/context/operator/target/$NAME.jar"
cp "$jvm_options" "$work/context/operator/target/$NAME.jvm-options"
cp Dockerfile .dockerignore "$work/context/"
DOCKER_BUILDKIT=0 $DOCKER build -q --build-arg "JRE_IMAGE=$base" \
  --label "io.openclaw.operator.build-key=$key" --label "org.opencontainers.image.version=$version" \
  --label "org.opencontainers.image.title=$NAME" \
  -t "$ref" -t "$NAME:$version" "$work/context" >"$work/build.out" 2>&1 \
  || { cat "$work/build.out" >&2; die "docker build failed"; }
# Older builds of this script (a new jar makes a new image): keep the newest few, remove the rest and the bases only
# they used, unless a container still uses them. Only images carrying this script's labels are touched.
KEEP=3
in_use=" $($DOCKER ps -aq --no-trunc | xargs -r $DOCKER inspect -f '{{.Image}}' | tr '\n' ' ') "
$DOCKER image ls --filter label=io.openclaw.operator.build-key --format '{{.CreatedAt}}\t{{.Repository}}:{{.Tag}}' "$NAME" \
  | grep -P '\t'"$NAME"':build-' | sort -r | tail -n +$((KEEP + 1)) | cut -f2 | while read -r old; do
  id=$($DOCKER image inspect -f '{{.Id}}' "$old" 2>/dev/null) || continue
  case $in_use in *" $id "*) continue ;; esac
  $DOCKER rmi "$old" >/dev/null 2>&1 && log "removed the older build $old"
done
used_bases=" $($DOCKER image ls --filter label=io.openclaw.operator.build-key -q | sort -u \
  | xargs -r $DOCKER image inspect -f '{{index .Config.Labels "io.openclaw.operator.base-key"}}' | tr '\n' ' ') "
$DOCKER image ls --format '{{.Repository}}:{{.Tag}}' "$NAME-base" | while read -r old; do
  case $used_bases in *" ${old##*:} "*) continue ;; esac
  $DOCKER rmi "$old" >/dev/null 2>&1 && log "removed the unused base $old"
done

size=$($DOCKER image inspect -f '{{.Size}}' "$ref")
log "built $ref and $NAME:$version in $(ms_since "$t") ms (docker build), $(ms_since "$t_all") ms in all; $((size / 1024 / 1024)) MiB"
echo "$ref"
