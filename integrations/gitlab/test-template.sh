#!/usr/bin/env bash
# Runs datapass.gitlab-ci.yml as an experiment's pipeline would, with gitlab-ci-local (shell executor), in a
# throwaway experiment repository that includes it.
#   integrations/gitlab/test-template.sh dry-run   no cluster: the CI job renders a 3-input submission (--dry-run)
#   integrations/gitlab/test-template.sh cluster   the cluster KUBECONFIG names, in $DATAPASS_NAMESPACE (it must
#                                                  exist): one CI job submits and follows a submission to its end
#                                                  and passes, another's submission fails and so does the CI job
# Needs Node 20+ and npm (gitlab-ci-local is installed into the cache once) and the datapass jar (bin/datapass).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../ci/lib/common.sh"

mode="${1:-}"
case "$mode" in dry-run|cluster) ;; *) sed -n '2,9s/^# \{0,1\}//p' "$0" >&2; exit 2 ;; esac

# 4.65 runs on Node 20; later versions need Node 22 (Set.prototype.union) without saying so in their engines
ensure_debian_packages rsync git # gitlab-ci-local copies the checkout with rsync
GCL_VERSION="${GCL_VERSION:-4.65.1}"
GCL_DIR="$DATAPASS_CACHE/gitlab-ci-local/$GCL_VERSION"
GCL="$GCL_DIR/node_modules/.bin/gitlab-ci-local"
if [ ! -x "$GCL" ]; then
  command -v npm >/dev/null || ensure_debian_packages nodejs npm
  log "installing gitlab-ci-local $GCL_VERSION into $GCL_DIR"
  mkdir -p "$GCL_DIR" && npm install --prefix "$GCL_DIR" --no-audit --no-fund "gitlab-ci-local@$GCL_VERSION" >&2
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$DATAPASS_ROOT/integrations/gitlab/datapass.gitlab-ci.yml" "$work/"
mkdir -p "$work/values"
cat > "$work/values/experiment.yaml" <<'YAML'
submission: {experiment: gitlab-ci}
payload:
  image: registry.example.org/experiment/analysis:1.0
  command: echo "task $JOB_COMPLETION_INDEX of the pipeline" && echo result > /workdir/output/result.txt
  resources: {requests: {cpu: 50m, memory: 32Mi}, limits: {memory: 64Mi}}
YAML
cat > "$work/values/failing.yaml" <<'YAML'
submission: {experiment: gitlab-ci}
payload:
  image: registry.example.org/experiment/analysis:1.0
  command: echo "this analysis fails" && exit 3
  resources: {requests: {cpu: 50m, memory: 32Mi}, limits: {memory: 64Mi}}
YAML
printf '%s\n' "root://eos.example.org//experiment/run-0.root" "root://eos.example.org//experiment/run-1.root" \
  "gs://experiment-data/run-2.root" > "$work/inputs.txt"
cat > "$work/.gitlab-ci.yml" <<'YAML'
include:
  - local: datapass.gitlab-ci.yml
stages: [analysis]
analysis:
  stage: analysis
  extends: .datapass
  variables:
    DATAPASS_VALUES: values/experiment.yaml
    DATAPASS_SET: job.completions=2
failing-analysis:
  stage: analysis
  extends: .datapass
  variables:
    DATAPASS_VALUES: values/failing.yaml
    DATAPASS_SET: job.backoffLimit=0 job.ttlSecondsAfterFinished=600
YAML
git -C "$work" init -q -b main
git -C "$work" remote add origin https://gitlab.example.org/physics/experiment.git
git -C "$work" add -A && git -C "$work" -c user.name=ci -c user.email=ci@example.org commit -qm experiment
git -C "$work" update-ref refs/remotes/origin/main HEAD
git -C "$work" symbolic-ref refs/remotes/origin/HEAD refs/remotes/origin/main

gcl() { (cd "$work" && "$GCL" --no-color --variable "DATAPASS_COMMAND=$DATAPASS_ROOT/bin/datapass" "$@"); }

if [ "$mode" = dry-run ]; then
  out="$work/dry-run.log"
  gcl --variable DATAPASS_DRY_RUN=true --variable DATAPASS_INPUTS=inputs.txt \
    --variable "DATAPASS_PAYLOAD_IMAGE=registry.example.org/experiment/analysis:abc1234" analysis 2>&1 | tee "$out"
  for expected in "completions: 3" "completionMode: Indexed" "source: gs://experiment-data/run-2.root" \
    'image: "registry.example.org/experiment/analysis:abc1234"' "datapass.io/experiment: gitlab-ci" \
    "nothing uploaded or installed" "analysis finished"; do
    grep -qF -- "$expected" "$out" || die "the dry run did not print: $expected"
  done
  log "dry run: the template rendered a 3-task submission"
  exit 0
fi

[ -n "${KUBECONFIG:-}" ] || die "set KUBECONFIG to the cluster's kubeconfig"
[ -n "${DATAPASS_NAMESPACE:-}" ] || die "set DATAPASS_NAMESPACE to a namespace of the cluster to submit into"
image="${DATAPASS_TEST_IMAGE:-datapass/busybox:test}"
common=(--variable "KUBECONFIG=$KUBECONFIG" --variable "DATAPASS_NAMESPACE=$DATAPASS_NAMESPACE"
  --variable "DATAPASS_PAYLOAD_IMAGE=$image" --variable DATAPASS_WATCH_TIMEOUT=300)

ok="$work/analysis.log"
gcl "${common[@]}" analysis 2>&1 | tee "$ok"
grep -q "Submission .* succeeded: its Job completed" "$ok" || die "the submission did not succeed"
grep -q "analysis finished" "$ok" || die "the CI job did not pass"

failing="$work/failing.log"
if gcl "${common[@]}" failing-analysis 2>&1 | tee "$failing"; then
  die "gitlab-ci-local passed a pipeline whose submission failed"
fi
grep -q "Submission .* failed: its Job failed" "$failing" || die "the failing submission was not reported"
grep -q "failing-analysis finished" "$failing" || true

for name in $(grep -o 'Submitted [^ ]*' "$ok" "$failing" | awk '{print $2}'); do
  "$DATAPASS_ROOT/bin/datapass" cancel "$name" --namespace "$DATAPASS_NAMESPACE"
done
log "cluster: the template's CI job passed with its submission and failed with the failing one"
