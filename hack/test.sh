#!/usr/bin/env bash
# Runs every test: the unit tests and the tests against a real Docker engine and a real Kubernetes API server.
# Installs and starts what they need first (Docker engine, stand-in images, the Smokescreen egress proxy image, the API
# server binaries, OpenClaw, the full local stack's images for WholeStackIT); each is cached outside the checkout and
# rebuilt only when its inputs change.
# Extra arguments go to Maven, e.g. hack/test.sh -Dit.test=SandboxPolicyIT; without any, the deploy checks run after
# the tests (the systemd unit, and README.md's on-host blocks on the image OperatorImageIT built).
set -euo pipefail
cd "$(dirname "$0")/.."

hack/ensure-docker.sh
hack/standin-images.sh
hack/smokescreen.sh image >/dev/null
hack/kube-apiserver.sh build # KUBE_VERSION=1.20 hack/test.sh runs the Kubernetes tests on the old server
hack/kstatus.sh build >/dev/null
hack/openclaw.sh install >/dev/null
hack/stack-images.sh all     # WholeStackIT, AdmissionIT (the socket proxy); after OpenClaw and Smokescreen, whose builds it reuses
hack/helm.sh version >/dev/null
hack/lua.sh 5.4 -v >/dev/null
mvn -B verify "$@"
if [ $# = 0 ]; then
  hack/check-systemd-unit.sh
  hack/check-on-host.sh
fi
