#!/usr/bin/env bash
# `helm lint --strict` with the helm CLI that `ci/cluster build` builds (the one users run): every chart, with each
# of its ci/ edge cases and each values/ file written for it (first line "# chart: NAME"). The JUnit tests in charts/
# run the same lint, and much more, through helm-java; this checks the CLI agrees.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$DATAPASS_ROOT"

lint() {
  # Helm logs each symbolic link it follows (charts/*/charts/datapass-lib): not worth a line each
  ci/cluster helm lint --strict --quiet "$@" 2> >(grep -v 'found symbolic link in path' >&2)
}
shopt -s nullglob
for chart in charts/*/Chart.yaml; do
  chart="$(dirname "$chart")"
  lint "$chart"
  for values in "$chart"/ci/*-values.yaml $(grep -l -x "# chart: ${chart#charts/}" values/*.yaml); do
    lint "$chart" -f "$values"
  done
done
log "helm lint --strict: every chart and values file passed"
