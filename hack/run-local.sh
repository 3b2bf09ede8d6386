#!/usr/bin/env bash
# Runs the operator on the embedded default: the manifests in examples/local/ (stand-in images, local secret
# files) against the local Docker engine. Starts the engine and builds the images and the jar when needed.
# Extra arguments go to `run`, e.g. hack/run-local.sh --http-address 127.0.0.1:9464
set -euo pipefail
cd "$(dirname "$0")/.."

hack/ensure-docker.sh
hack/standin-images.sh
jar=operator/target/openclaw-docker-operator.jar
if [ ! -f "$jar" ] || [ -n "$(find operator/src crds pom.xml operator/pom.xml -newer "$jar" -print -quit)" ]; then
  mvn -q -B package -DskipTests
fi
exec java -jar "$jar" run examples/local/ "$@"
