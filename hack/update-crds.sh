#!/usr/bin/env bash
# Regenerates crds/ from the Java types in operator/src/main/java/io/openclaw/operator/api.
# The normal build only checks crds/ and fails when it is stale.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -f operator/pom.xml process-classes -Dcrds.mode=update
# A second pass packs the new files into target/classes (resources are copied before the generator runs).
mvn -q -B -f operator/pom.xml process-classes
# Helm installs a chart's crds/ directory as it is: keep the chart's copy the same files (ChartIT checks).
chart_crds=charts/openclaw-docker-operator/crds
rm -f "$chart_crds"/*.yaml
cp crds/*.yaml "$chart_crds"/
