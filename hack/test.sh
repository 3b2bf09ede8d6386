#!/usr/bin/env bash
# Runs every test: the unit tests and the tests against a real Docker engine and a real Kubernetes API server.
# Installs and starts what they need first (Docker engine, stand-in images, the API server binaries, OpenClaw).
# Extra arguments go to Maven, e.g. hack/test.sh -Dtest=SandboxPolicyIT
set -euo pipefail
cd "$(dirname "$0")/.."

hack/ensure-docker.sh
hack/standin-images.sh
hack/kube-apiserver.sh build # KUBE_VERSION=1.20 hack/test.sh runs the Kubernetes tests on the old server
hack/kstatus.sh build >/dev/null
hack/openclaw.sh install >/dev/null
hack/helm.sh version >/dev/null
hack/lua.sh 5.4 -v >/dev/null
exec mvn -B verify "$@"
