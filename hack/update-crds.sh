#!/usr/bin/env bash
# Regenerates crds/ from the Java types in operator/src/main/java/io/openclaw/operator/api.
# The normal build only checks crds/ and fails when it is stale.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -f operator/pom.xml process-classes -Dcrds.mode=update
# A second pass packs the new files into target/classes (resources are copied before the generator runs).
mvn -q -B -f operator/pom.xml process-classes
