#!/usr/bin/env bash
# Runs each image of the local stack briefly and checks that its program works as the stack needs it; called as
# `hack/stack-images.sh check [NAME...]` (default: every image that is built). Containers and networks carry a unique
# name prefix and the label openclaw-stack.check=<run id>, run with every capability dropped and no-new-privileges
# (as the operator runs them), and are removed at the end, also on failure. Prints one line per check, then a summary.
#
#   socket-proxy  /_ping answered, /build and anything not granted refused (403), POST=0 refuses writes, ambiguous
#                 paths refused (400), a bad variable value stops the proxy; the docker CLI works through it
#                 (ps, exec over the upgraded connection) and `docker build` is refused
#   cache         redis-server answers PING as 999:999
#   fake-llm      /v1/models, a chat answer, an exec tool call, the request log, HTTPS with the FAKE test CA
#   model-proxy   LiteLLM reads a config file, answers on /health/liveliness, relays a chat completion to the fake
#                 model server (over HTTPS too, trusting the FAKE test CA through ssl_verify), and sends it
#                 through HTTP_PROXY when that is set
#   gateway       node, openclaw and docker run as 1000; the gateway starts and answers /healthz
#   sandbox       runs `sleep infinity` and a shell
#   egress-proxy  smokescreen starts with the operator's arguments
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
DOCKER=/usr/bin/docker
RUN_ID=stkchk-$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')
LABEL=openclaw-stack.check=$RUN_ID
passed=0
failed=0

ref() { echo "openclaw-stack/$1:local"; }
log() { echo "check: $*" >&2; }
ok() { passed=$((passed + 1)); echo "ok    $1: $2"; }
bad() { failed=$((failed + 1)); echo "FAIL  $1: $2"; }
expect() { # component description expected actual
  if [ "$3" = "$4" ]; then ok "$1" "$2 ($4)"; else bad "$1" "$2: expected $3, got $4"; fi
}

cleanup() {
  local ids
  ids=$($DOCKER ps -aq --filter "label=$LABEL")
  [ -z "$ids" ] || $DOCKER rm -f $ids >/dev/null 2>&1 || true
  ids=$($DOCKER network ls -q --filter "label=$LABEL")
  [ -z "$ids" ] || $DOCKER network rm $ids >/dev/null 2>&1 || true
  rm -rf "${WORK:-/nonexistent}"
}
trap cleanup EXIT
WORK=$(mktemp -d)

hardened() { echo --label "$LABEL" --cap-drop ALL --security-opt no-new-privileges; }

host_port() { $DOCKER port "$1" "$2" | head -1 | sed 's/.*://'; }

wait_http() { # url seconds
  local i
  for i in $(seq 1 $(($2 * 2))); do
    curl -sf -o /dev/null "$1" && return 0
    sleep 0.5
  done
  return 1
}

status_of() { curl -s -o /dev/null -w '%{http_code}' "$@"; }

check_socket_proxy() {
  local c=$RUN_ID-socket-proxy port status
  # shellcheck disable=SC2046
  $DOCKER run -d --name "$c" $(hardened) -v /var/run/docker.sock:/var/run/docker.sock:ro -p 127.0.0.1::2375 \
    -e CONTAINERS=1 -e POST=0 "$(ref socket-proxy)" >/dev/null
  port=$(host_port "$c" 2375)
  wait_http "http://127.0.0.1:$port/_ping" 20 || { bad socket-proxy "/_ping never answered: $($DOCKER logs "$c" 2>&1 | tail -5)"; return; }
  local api=http://127.0.0.1:$port
  expect socket-proxy "GET /_ping" 200 "$(status_of "$api/_ping")"
  expect socket-proxy "GET /v1.41/version (VERSION default 1)" 200 "$(status_of "$api/v1.41/version")"
  expect socket-proxy "GET /containers/json (CONTAINERS=1)" 200 "$(status_of "$api/v1.41/containers/json")"
  expect socket-proxy "GET /images/json (IMAGES=0)" 403 "$(status_of "$api/v1.41/images/json")"
  expect socket-proxy "POST /build" 403 "$(status_of -X POST "$api/v1.41/build")"
  expect socket-proxy "GET /secrets" 403 "$(status_of "$api/secrets")"
  expect socket-proxy "GET /swarm" 403 "$(status_of "$api/v1.41/swarm")"
  expect socket-proxy "POST /containers/create with POST=0" 403 \
    "$(status_of -X POST -H 'Content-Type: application/json' -d '{"Image":"none"}' "$api/v1.41/containers/create")"
  expect socket-proxy "GET /containersX (no whole segment)" 403 "$(status_of "$api/v1.41/containersX/json")"
  expect socket-proxy "GET /containers/../build (dot segment)" 400 "$(status_of --path-as-is "$api/v1.41/containers/../build")"
  expect socket-proxy "GET /containers/%2e%2e/build (encoded dot segment)" 400 "$(status_of --path-as-is "$api/containers/%2e%2e/build")"
  expect socket-proxy "GET //containers/json (empty segment)" 400 "$(status_of --path-as-is "$api/v1.41//containers/json")"
  if DOCKER_HOST=tcp://127.0.0.1:$port $DOCKER ps -q >/dev/null 2>"$WORK/err"; then
    ok socket-proxy "docker ps through the proxy"
  else
    bad socket-proxy "docker ps through the proxy: $(cat "$WORK/err")"
  fi
  if DOCKER_HOST=tcp://127.0.0.1:$port $DOCKER build -q - <<<'FROM scratch' >/dev/null 2>"$WORK/err"; then
    bad socket-proxy "docker build through the proxy was not refused"
  else
    ok socket-proxy "docker build refused: $(tr '\n' ' ' <"$WORK/err" | cut -c1-100)"
  fi
  $DOCKER rm -f "$c" >/dev/null

  # The grants OpenClaw needs: a container is created, started and exec'd through the proxy.
  local c2=$RUN_ID-socket-proxy-rw target=$RUN_ID-target
  # shellcheck disable=SC2046
  $DOCKER run -d --name "$c2" $(hardened) -v /var/run/docker.sock:/var/run/docker.sock:ro -p 127.0.0.1::2375 \
    -e CONTAINERS=1 -e IMAGES=1 -e EXEC=1 -e POST=1 "$(ref socket-proxy)" >/dev/null
  port=$(host_port "$c2" 2375)
  wait_http "http://127.0.0.1:$port/_ping" 20 || { bad socket-proxy "/_ping never answered (rw)"; return; }
  if DOCKER_HOST=tcp://127.0.0.1:$port $DOCKER run -d --name "$target" $(hardened) --network none \
      "$(ref sandbox)" sleep infinity >/dev/null 2>"$WORK/err"; then
    ok socket-proxy "docker run through the proxy (CONTAINERS, IMAGES, POST)"
    local out
    out=$(DOCKER_HOST=tcp://127.0.0.1:$port $DOCKER exec "$target" sh -c 'echo exec-through-proxy' 2>&1 || true)
    expect socket-proxy "docker exec through the proxy (EXEC, upgraded connection)" exec-through-proxy "$out"
  else
    bad socket-proxy "docker run through the proxy: $(cat "$WORK/err")"
  fi
  $DOCKER logs "$c2" 2>&1 | head -1 | sed 's/^/      log: /'
  $DOCKER logs "$c2" 2>&1 | grep -m1 ' 403 ' | sed 's/^/      log: /' || true

  local c3=$RUN_ID-socket-proxy-bad code
  # shellcheck disable=SC2046
  $DOCKER run --name "$c3" $(hardened) -e BUILD=maybe "$(ref socket-proxy)" >/dev/null 2>&1 || true
  code=$($DOCKER inspect -f '{{.State.ExitCode}}' "$c3")
  expect socket-proxy "BUILD=maybe stops the proxy" 64 "$code"
}

check_cache() {
  local c=$RUN_ID-cache out
  # shellcheck disable=SC2046
  $DOCKER run -d --name "$c" $(hardened) --user 999:999 "$(ref cache)" >/dev/null
  for _ in $(seq 1 20); do
    out=$($DOCKER exec "$c" redis-cli ping 2>/dev/null || true)
    [ "$out" = PONG ] && break
    sleep 0.5
  done
  expect cache "redis-cli ping" PONG "$out"
  expect cache "runs as" "999" "$($DOCKER exec "$c" id -u)"
  $DOCKER logs "$c" 2>&1 | grep -m1 'Ready to accept' | sed 's/^/      log: /' || true
}

fake_llm_on() { # container network aliases...
  local c=$1 net=$2; shift 2
  local aliases=()
  for a in "$@"; do aliases+=(--network-alias "$a"); done
  # shellcheck disable=SC2046
  $DOCKER run -d --name "$c" $(hardened) --network "$net" "${aliases[@]}" -p 127.0.0.1::8080 "$(ref fake-llm)" >/dev/null
  wait_http "http://127.0.0.1:$(host_port "$c" 8080)/healthz" 20
}

check_fake_llm() {
  local c=$RUN_ID-fake-llm port body
  # shellcheck disable=SC2046
  $DOCKER run -d --name "$c" $(hardened) -p 127.0.0.1::8080 -p 127.0.0.1::8443 "$(ref fake-llm)" >/dev/null
  port=$(host_port "$c" 8080)
  wait_http "http://127.0.0.1:$port/healthz" 20 || { bad fake-llm "never answered: $($DOCKER logs "$c" 2>&1 | tail -3)"; return; }
  expect fake-llm "GET /v1/models" fake-model \
    "$(curl -s "http://127.0.0.1:$port/v1/models" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"][0]["id"])')"
  body='{"model":"fake-model","messages":[{"role":"user","content":"exec: echo hi"}],"tools":[{"type":"function","function":{"name":"exec","parameters":{}}}]}'
  expect fake-llm "an exec tool call" '{"command": "echo hi"}' \
    "$(curl -s "http://127.0.0.1:$port/v1/chat/completions" -d "$body" | python3 -c 'import json,sys; print(json.load(sys.stdin)["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"])')"
  expect fake-llm "requests logged" 2 \
    "$(curl -s "http://127.0.0.1:$port/_requests" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
  expect fake-llm "runs as" 65534 "$($DOCKER exec "$c" id -u)"
  local tls_port; tls_port=$(host_port "$c" 8443)
  expect fake-llm "GET https://llm.allowed.test/v1/models with the FAKE test CA" 200 \
    "$(status_of --cacert "$here/stack/fake-llm/tls/ca.pem" --resolve "llm.allowed.test:$tls_port:127.0.0.1" \
      "https://llm.allowed.test:$tls_port/v1/models")"
}

check_model_proxy() {
  local net=$RUN_ID-net up=$RUN_ID-upstream c=$RUN_ID-model-proxy port
  $DOCKER network create --label "$LABEL" "$net" >/dev/null
  fake_llm_on "$up" "$net" llm.check.test llm.allowed.test || { bad model-proxy "the fake model server did not start"; return; }
  cat >"$WORK/litellm.yaml" <<'EOF'
model_list:
  - model_name: fake-model
    litellm_params: {model: openai/fake-model, api_base: "http://llm.check.test:8080/v1", api_key: sk-FAKE-check}
  - model_name: via-proxy
    litellm_params: {model: openai/fake-model, api_base: "http://nowhere.invalid:8080/v1", api_key: sk-FAKE-check}
  - model_name: over-tls
    litellm_params: {model: openai/fake-model, api_base: "https://llm.allowed.test:8443/v1", api_key: sk-FAKE-check}
general_settings: {master_key: sk-FAKE-check-master}
litellm_settings: {ssl_verify: /run/secrets/litellm/fake-llm-ca.pem}
EOF
  # shellcheck disable=SC2046
  $DOCKER create --name "$c" $(hardened) --user 1000:1000 --network "$net" -p 127.0.0.1::4000 \
    -e HTTP_PROXY=http://llm.check.test:8080 -e http_proxy=http://llm.check.test:8080 \
    -e NO_PROXY=llm.check.test,llm.allowed.test,localhost,127.0.0.1 \
    -e no_proxy=llm.check.test,llm.allowed.test,localhost,127.0.0.1 \
    "$(ref model-proxy)" --config /run/secrets/litellm/config.yaml --host 0.0.0.0 --port 4000 >/dev/null
  # As the operator delivers it: a file owned by the component's user, mode 0600.
  mkdir -p "$WORK/up/run/secrets/litellm"
  cp "$WORK/litellm.yaml" "$WORK/up/run/secrets/litellm/config.yaml"
  cp "$here/stack/fake-llm/tls/ca.pem" "$WORK/up/run/secrets/litellm/fake-llm-ca.pem"
  chmod 600 "$WORK/up/run/secrets/litellm/"*
  tar -C "$WORK/up" --owner=1000 --group=1000 -c run | $DOCKER cp - "$c:/"
  $DOCKER start "$c" >/dev/null
  port=$(host_port "$c" 4000)
  local start; start=$(date +%s)
  if ! wait_http "http://127.0.0.1:$port/health/liveliness" 180; then
    bad model-proxy "never answered /health/liveliness: $($DOCKER logs "$c" 2>&1 | tail -15)"
    return
  fi
  ok model-proxy "answers /health/liveliness after $(($(date +%s) - start)) s"
  local answer
  answer=$(curl -s "http://127.0.0.1:$port/v1/chat/completions" -H 'Authorization: Bearer sk-FAKE-check-master' \
    -H 'Content-Type: application/json' -d '{"model":"fake-model","messages":[{"role":"user","content":"hello"}]}' \
    | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["choices"][0]["message"]["content"] if "choices" in d else d)')
  expect model-proxy "a chat completion relayed to the fake model server" "fake answer to: hello" "$answer"
  answer=$(curl -s "http://127.0.0.1:$port/v1/chat/completions" -H 'Authorization: Bearer sk-FAKE-check-master' \
    -H 'Content-Type: application/json' -d '{"model":"via-proxy","messages":[{"role":"user","content":"proxied"}]}' \
    | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["choices"][0]["message"]["content"] if "choices" in d else d)')
  expect model-proxy "a call to a host it cannot resolve goes through HTTP_PROXY" "fake answer to: proxied" "$answer"
  expect model-proxy "the proxy saw it as a proxy request for nowhere.invalid" "nowhere.invalid:8080" \
    "$(curl -s "http://127.0.0.1:$(host_port "$up" 8080)/_requests" | python3 -c 'import json,sys; print(",".join(sorted({r["urlHost"] for r in json.load(sys.stdin) if r.get("absoluteForm")})))')"
  answer=$(curl -s "http://127.0.0.1:$port/v1/chat/completions" -H 'Authorization: Bearer sk-FAKE-check-master' \
    -H 'Content-Type: application/json' -d '{"model":"over-tls","messages":[{"role":"user","content":"tls"}]}' \
    | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["choices"][0]["message"]["content"] if "choices" in d else d)')
  expect model-proxy "HTTPS upstream trusted through ssl_verify (the FAKE test CA)" "fake answer to: tls" "$answer"
  expect model-proxy "unauthenticated calls refused" 401 \
    "$(status_of "http://127.0.0.1:$port/v1/chat/completions" -H 'Content-Type: application/json' -d '{"model":"fake-model","messages":[]}')"
  $DOCKER logs "$c" 2>&1 | grep -m2 -i 'uvicorn running\|Proxy initialized\|LiteLLM: Proxy' | sed 's/^/      log: /' || true
}

check_gateway() {
  local c=$RUN_ID-gateway out port
  expect gateway "node --version" v24.21.0 "$($DOCKER run --rm $(hardened) --entrypoint node "$(ref gateway)" --version)"
  out=$($DOCKER run --rm $(hardened) --entrypoint docker "$(ref gateway)" --version)
  case "$out" in Docker\ version*) ok gateway "$out" ;; *) bad gateway "docker --version: $out" ;; esac
  out=$($DOCKER run --rm $(hardened) "$(ref gateway)" --version 2>&1 | tail -1)
  case "$out" in *2026.*) ok gateway "openclaw --version: $out" ;; *) bad gateway "openclaw --version: $out" ;; esac
  expect gateway "runs as" "1000:1000" "$($DOCKER run --rm --entrypoint sh "$(ref gateway)" -c 'echo $(id -u):$(id -g)')"
  # shellcheck disable=SC2046
  $DOCKER run -d --name "$c" $(hardened) -p 127.0.0.1::18789 -e OPENCLAW_GATEWAY_TOKEN=FAKE-check-token \
    "$(ref gateway)" gateway --allow-unconfigured --bind lan --port 18789 --auth token >/dev/null
  port=$(host_port "$c" 18789)
  local start; start=$(date +%s)
  if wait_http "http://127.0.0.1:$port/healthz" 240; then
    ok gateway "the gateway answers /healthz after $(($(date +%s) - start)) s"
  else
    bad gateway "the gateway never answered /healthz: $($DOCKER logs "$c" 2>&1 | tail -15)"
  fi
  $DOCKER logs "$c" 2>&1 | grep -m3 -i 'listening\|gateway' | sed 's/^/      log: /' || true
}

check_sandbox() {
  expect sandbox "sh in the sandbox image" sandbox-ok \
    "$($DOCKER run --rm $(hardened) --network none "$(ref sandbox)" sh -c 'echo sandbox-ok')"
  local c=$RUN_ID-sandbox
  # shellcheck disable=SC2046
  $DOCKER run -d --name "$c" $(hardened) --network none "$(ref sandbox)" >/dev/null
  sleep 1
  expect sandbox "default command keeps running" running "$($DOCKER inspect -f '{{.State.Status}}' "$c")"
}

check_egress_proxy() {
  local c=$RUN_ID-egress-proxy
  mkdir -p "$WORK/eg/etc/smokescreen"
  printf 'version: v1\nservices: []\ndefault:\n  project: check\n  action: enforce\n  allowed_domains: ["llm.check.test"]\n' >"$WORK/eg/etc/smokescreen/acl.yaml"
  printf 'allow_missing_role: true\n' >"$WORK/eg/etc/smokescreen/config.yaml"
  # shellcheck disable=SC2046
  $DOCKER create --name "$c" $(hardened) --user 65534:65534 "$(ref egress-proxy)" \
    --config-file=/etc/smokescreen/config.yaml --egress-acl-file=/etc/smokescreen/acl.yaml --listen-ip=0.0.0.0 \
    --listen-port=4750 >/dev/null
  tar -C "$WORK/eg" --owner=65534 --group=65534 -c etc | $DOCKER cp - "$c:/"
  $DOCKER start "$c" >/dev/null
  sleep 3
  expect egress-proxy "smokescreen keeps running with the operator's arguments" running \
    "$($DOCKER inspect -f '{{.State.Status}}' "$c")"
  $DOCKER logs "$c" 2>&1 | tail -2 | sed 's/^/      log: /'
}

names=("$@")
if [ ${#names[@]} = 0 ]; then
  for n in socket-proxy cache fake-llm model-proxy gateway sandbox egress-proxy; do
    $DOCKER image inspect "$(ref "$n")" >/dev/null 2>&1 && names+=("$n") || log "$n: not built, not checked"
  done
fi
for n in "${names[@]}"; do
  $DOCKER image inspect "$(ref "$n")" >/dev/null 2>&1 || { bad "$n" "$(ref "$n") is not built"; continue; }
  start=$(date +%s.%N)
  "check_${n//-/_}"
  log "$n checked in $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
done
echo "check: $passed passed, $failed failed"
[ "$failed" = 0 ]
