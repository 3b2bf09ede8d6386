#!/usr/bin/env bash
# Runs the operator on a manifest directory against the local Docker engine. Starts the engine and builds the images
# and the jar when needed.
#
#   hack/run-local.sh [local] [RUN-ARGS...]  examples/local/: the seed deployment on busybox stand-in images
#                                            (hack/standin-images.sh), with local secret files
#   hack/run-local.sh stack [RUN-ARGS...]    examples/stack/: every component the real program (hack/stack-images.sh),
#                                            with fake secrets; also runs the outside world of the tests, the fake
#                                            model server on the egress network as llm.allowed.test (on the allowlist)
#                                            and as llm.denied.test (not on it), HTTPS on 443 with a FAKE certificate
#                                            (hack/stack/fake-llm/tls), removed when the operator stops
#
# RUN-ARGS go to `run`, e.g. hack/run-local.sh stack --http-address 127.0.0.1:9465. STACK_DIR=DIR runs another
# directory of the stack's shape (a copy with other names: the fake model servers join the egress network its
# gateway.yaml names and are named after its GatewayDeployment); the stack's state directory is
# ${XDG_STATE_HOME:-~/.local/state}/openclaw-docker-operator-stack unless RUN-ARGS give --state-dir.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=local
case "${1:-}" in local|stack) mode=$1; shift ;; esac

hack/ensure-docker.sh
jar=operator/target/openclaw-docker-operator.jar
if [ ! -f "$jar" ] || [ ! -f "${jar%.jar}.jvm-options" ] || [ -n "$(find operator/src crds pom.xml operator/pom.xml -newer "$jar" -print -quit)" ]; then
  mvn -q -B package -DskipTests
fi

# As the image and the systemd unit start it: the Java options and the class-data archive `mvn package` puts beside
# the jar.
java=(java "@${jar%.jar}.jvm-options" -XX:SharedArchiveFile="${jar%.jar}.jsa" -jar "$jar")

if [ "$mode" = local ]; then
  hack/standin-images.sh
  exec "${java[@]}" run examples/local/ "$@"
fi

DOCKER=/usr/bin/docker
dir=${STACK_DIR:-examples/stack}
hack/stack-images.sh all
$DOCKER image inspect "$(hack/stack-images.sh ref egress-proxy)" >/dev/null 2>&1 \
  || echo "run-local: no egress-proxy image yet (hack/smokescreen.sh builds Smokescreen): the operator will report it unavailable" >&2

# The names the fake model servers need, from the GatewayDeployment's manifest.
gwd=$(sed -n '/^kind: GatewayDeployment/,$ { s/^  name: *\([^ #]*\).*/\1/p }' "$dir/gateway.yaml" | head -1)
egress=$(sed -n 's/^ *egress: *\([^ #]*\).*/\1/p' "$dir/gateway.yaml" | head -1)
[ -n "$gwd" ] && [ -n "$egress" ] || { echo "run-local: cannot read the GatewayDeployment's name and egress network from $dir/gateway.yaml" >&2; exit 1; }

state=()
case " $* " in *" --state-dir"*) ;; *) state=(--state-dir "${XDG_STATE_HOME:-$HOME/.local/state}/openclaw-docker-operator-stack") ;; esac

fakes=("$gwd-llm-allowed" "$gwd-llm-denied")
# Only the servers this script started carry its label.
ours() { [ "$($DOCKER inspect -f '{{index .Config.Labels "openclaw-stack.run-local"}}' "$1" 2>/dev/null)" = "$dir" ]; }
operator_pid=
stop() {
  trap - EXIT INT TERM
  if [ -n "$operator_pid" ] && kill -0 "$operator_pid" 2>/dev/null; then kill "$operator_pid"; wait "$operator_pid" || true; fi
  for c in "${fakes[@]}"; do ours "$c" && $DOCKER rm -f "$c" >/dev/null; done
  echo "run-local: stopped; the operator's containers and networks stay (remove them with docker rm -f / docker network rm)" >&2
}
trap stop EXIT INT TERM

"${java[@]}" run "$dir/" "${state[@]}" "$@" &
operator_pid=$!

# The egress network is the operator's to create; the fake model servers join it once it exists.
for _ in $(seq 1 240); do
  $DOCKER network inspect "$egress" >/dev/null 2>&1 && break
  kill -0 "$operator_pid" 2>/dev/null || { wait "$operator_pid"; exit $?; }
  sleep 0.5
done
$DOCKER network inspect "$egress" >/dev/null 2>&1 || { echo "run-local: the operator did not create $egress within 120 s" >&2; exit 1; }
for c in "${fakes[@]}"; do
  alias=llm.${c##*-llm-}.test
  if ours "$c"; then $DOCKER rm -f "$c" >/dev/null; fi
  # HTTPS on 443, the only port the egress proxy tunnels to (as nobody: the sysctl lets it bind there).
  $DOCKER run -d --name "$c" --label "openclaw-stack.run-local=$dir" --cap-drop ALL --security-opt no-new-privileges \
    --memory 128m --pids-limit 64 --network "$egress" --network-alias "$alias" \
    --sysctl net.ipv4.ip_unprivileged_port_start=443 "$(hack/stack-images.sh ref fake-llm)" --port 8080 --tls-port 443 >/dev/null
  echo "run-local: fake model server $c on $egress as $alias (its requests: docker logs $c)" >&2
done
wait "$operator_pid"
