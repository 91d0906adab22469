#!/usr/bin/env bash
# `ci/cluster kueue down` deletes what `kueue up` applied and nothing else. Before it runs, this places objects that
# only look like Kueue's: a user's Job with a queue-name label (suspended), a ClusterRole named kueue-*, another
# group's CRD. After `down` they must still be there, the Job still suspended, and nothing of Kueue may be left: no
# object with its label, no kueue.x-k8s.io API, no webhook in the way of a queue-labelled Job. A second `down` is a
# no-op.
# usage: ci/lib/cluster/kueue-isolation-test.sh      (root; the cluster up, Kueue up; takes Kueue down; exit 0 = passed)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../common.sh"
CLUSTER="${CLUSTER:-$HERE/../../cluster}"
LABEL=datapass.io/ci-cluster=kueue
FOREIGN_NS="kueue-isolation-$$"
FOREIGN_ROLE=kueue-isolation-foreign
FOREIGN_CRD=widgets.isolation.datapass.test
[ "$(id -u)" -eq 0 ] || die "kueue-isolation-test.sh needs root (ci/cluster kueue down)"
k() { "$CLUSTER" kubectl "$@"; }

failures=0
fail() { log "FAIL: $*"; failures=$((failures + 1)); }
cleanup() {
  set +e
  k delete namespace "$FOREIGN_NS" --ignore-not-found --wait=false >/dev/null 2>&1
  k delete clusterrole "$FOREIGN_ROLE" --ignore-not-found >/dev/null 2>&1
  k delete crd "$FOREIGN_CRD" --ignore-not-found >/dev/null 2>&1
}
trap cleanup EXIT

"$CLUSTER" kueue status >/dev/null || die "kueue is not up: ci/cluster kueue up first"
k create namespace "$FOREIGN_NS" >/dev/null
k apply -f - >/dev/null <<EOF
apiVersion: batch/v1
kind: Job
metadata:
  name: queued
  namespace: $FOREIGN_NS
  labels: {kueue.x-k8s.io/queue-name: somewhere}
spec:
  suspend: true
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, image: datapass/busybox:test, imagePullPolicy: IfNotPresent, command: ["true"]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: $FOREIGN_ROLE, labels: {app.kubernetes.io/name: kueue}}
rules: []
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: $FOREIGN_CRD}
spec:
  group: isolation.datapass.test
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}]
EOF

timeout 300 "$CLUSTER" kueue down || fail "ci/cluster kueue down exited $?"

[ "$(k -n "$FOREIGN_NS" get job queued -o jsonpath='{.spec.suspend}' 2>/dev/null)" = true ] \
  || fail "the user's queue-labelled Job is gone or no longer suspended"
k get clusterrole "$FOREIGN_ROLE" >/dev/null 2>&1 || fail "removed: the foreign ClusterRole $FOREIGN_ROLE"
k get crd "$FOREIGN_CRD" >/dev/null 2>&1 || fail "removed: the foreign CRD $FOREIGN_CRD"

left="$(k get crd,clusterroles,clusterrolebindings,mutatingwebhookconfigurations,validatingwebhookconfigurations,namespaces \
  -l "$LABEL" -o name 2>&1)"
[ -z "$left" ] || fail "left with label $LABEL: $(echo $left)"
[ -z "$(k api-resources --api-group=kueue.x-k8s.io -o name 2>&1)" ] || fail "the kueue.x-k8s.io API is still served"
k get namespace kueue-system >/dev/null 2>&1 && fail "namespace kueue-system is left"
# a stopped Kueue whose webhooks stayed would refuse this (failurePolicy Fail)
k -n "$FOREIGN_NS" label --dry-run=server job queued kueue.x-k8s.io/queue-name=elsewhere --overwrite >/dev/null 2>&1 \
  || fail "a queue-labelled Job cannot be changed after kueue down (a webhook of Kueue is left)"
timeout 60 "$CLUSTER" kueue down || fail "a second ci/cluster kueue down exited $?"
"$CLUSTER" kueue status >/dev/null 2>&1 && fail "ci/cluster kueue status says kueue still runs"

[ "$failures" -eq 0 ] || die "$failures kueue isolation check(s) failed"
log "PASS: ci/cluster kueue down left the foreign objects as they were and nothing of Kueue behind"
