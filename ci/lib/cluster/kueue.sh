# Sourced by ci/cluster: Kueue on the running cluster, optional (`ci/cluster kueue up|down|status`, `up --with-kueue`).
# Kueue runs as upstream deploys it, a Deployment in kueue-system built from its own config/components (CRDs, RBAC,
# manager, webhooks) with `kubectl kustomize`, from the binary kueue-build.sh packs as an image. Its webhook serving
# certificate is made here with openssl (signed by the cluster's CA), and only Kueue's and queue-labelled Jobs'
# webhooks are kept (kueue-manifests.py). Every object carries $KUEUE_LABEL, the only way `down` finds what it deletes.
# Needs: run.sh (kubectl_, mkcert, wait_for, pid_of, cluster_load_image) and kueue-build.sh sourced.

KUEUE_NAMESPACE=kueue-system
KUEUE_DEPLOYMENT=kueue-controller-manager
KUEUE_LABEL=datapass.io/ci-cluster=kueue
KUEUE_STATE="$CLUSTER_DIR/kueue"
KUEUE_WEBHOOK_SERVICE=kueue-webhook-service.$KUEUE_NAMESPACE.svc

# A kustomization of Kueue's own components with the local cluster's settings, in $KUEUE_STATE/kustomize.
kueue_kustomization() {
  local mod dir="$KUEUE_STATE/kustomize" c
  mod="$(kueue_module_dir)"
  rm -rf "$dir"; mkdir -p "$dir"; chmod 700 "$KUEUE_STATE"
  for c in crd rbac manager webhook; do cp -r "$mod/config/components/$c" "$dir/$c"; done
  chmod -R u+w "$dir"
  cp "$PKI/kueue-webhook.crt" "$dir/tls.crt"; cp "$PKI/kueue-webhook.key" "$dir/tls.key"
  # the controller's configuration replaces upstream's: Jobs only, certificates from us, no visibility API server
  # (an APIService nothing serves would break discovery, and so namespace deletion, for everyone)
  cat >"$dir/manager/controller_manager_config.yaml" <<'EOF'
apiVersion: config.kueue.x-k8s.io/v1beta2
kind: Configuration
health:
  healthProbeBindAddress: :8081
metrics:
  bindAddress: :8443
webhook:
  port: 9443
leaderElection:
  leaderElect: false
internalCertManagement:
  enable: false
featureGates:
  VisibilityOnDemand: false
clientConnection:
  qps: 50
  burst: 100
integrations:
  frameworks:
  - batch/job
EOF
  cat >"$dir/kustomization.yaml" <<EOF
namespace: $KUEUE_NAMESPACE
namePrefix: kueue-
labels:
- pairs: {app.kubernetes.io/name: kueue, ${KUEUE_LABEL%%=*}: ${KUEUE_LABEL#*=}}
  includeTemplates: true
- pairs: {control-plane: controller-manager}
  includeSelectors: true
resources: [crd, rbac, manager, webhook]
generatorOptions: {disableNameSuffixHash: true}
secretGenerator:
- {name: webhook-server-cert, type: kubernetes.io/tls, files: [tls.crt, tls.key]}
patches:
- path: manager-patch.yaml
EOF
  cat >"$dir/manager-patch.yaml" <<EOF
apiVersion: apps/v1
kind: Deployment
metadata: {name: controller-manager, namespace: system}
spec:
  template:
    spec:
      containers:
      - name: manager
        image: $KUEUE_IMAGE
        imagePullPolicy: IfNotPresent
        args: [--config=/controller_manager_config.yaml, --zap-log-level=2]
        ports: [{containerPort: 9443, name: webhook-server, protocol: TCP}]
        resources: {requests: {cpu: 50m, memory: 128Mi}, limits: {cpu: "1", memory: 512Mi}}
        volumeMounts:
        - {name: manager-config, mountPath: /controller_manager_config.yaml, subPath: controller_manager_config.yaml}
        - {name: cert, mountPath: /tmp/k8s-webhook-server/serving-certs, readOnly: true}
        - {name: cert, mountPath: /etc/kueue/metrics/certs, readOnly: true}
      volumes:
      - {name: manager-config, configMap: {name: manager-config}}
      - {name: cert, secret: {secretName: webhook-server-cert}}
EOF
}

# Where the controller's log is (the kubelet's pod log directory: the configured one, or /var/log/pods where it
# ignores podLogsDirectory).
kueue_log_hint() {
  local files
  files="$(ls -d "$CLUSTER_DIR"/pod-logs/"${KUEUE_NAMESPACE}_${KUEUE_DEPLOYMENT}"-*/manager/*.log \
    /var/log/pods/"${KUEUE_NAMESPACE}_${KUEUE_DEPLOYMENT}"-*/manager/*.log 2>/dev/null | tr '\n' ' ' || true)"
  printf 'kueue log: ci/cluster kubectl -n %s logs deploy/%s%s\n' "$KUEUE_NAMESPACE" "$KUEUE_DEPLOYMENT" \
    "${files:+ (on the node: ${files% })}"
}

kueue_up() {
  need_root
  local t0=$SECONDS
  pid_of kube-apiserver >/dev/null || die "the cluster is not up: ci/cluster up --with-kueue (or ci/cluster up first)"
  # a Kueue installed otherwise (helm, upstream manifests) is not ours to change or to take down
  if [ -n "$(kubectl_ get crd clusterqueues.kueue.x-k8s.io --ignore-not-found -o name)" ] && [ -z "$(kubectl_ get crd \
      -l "$KUEUE_LABEL" --field-selector metadata.name=clusterqueues.kueue.x-k8s.io -o name)" ]; then
    die "a Kueue that ci/cluster did not install is on this cluster"
  fi
  ensure_debian_packages python3-yaml
  kueue_build >/dev/null
  cluster_load_image "$KUEUE_DIR/images/kueue.tar" >/dev/null
  mkcert kueue-webhook "/CN=$KUEUE_WEBHOOK_SERVICE" serverAuth \
    "DNS:$KUEUE_WEBHOOK_SERVICE,DNS:$KUEUE_WEBHOOK_SERVICE.cluster.local,DNS:kueue-controller-manager-metrics-service.$KUEUE_NAMESPACE.svc"
  kueue_kustomization
  "$BIN/kubectl" kustomize "$KUEUE_STATE/kustomize" | python3 "$LIB/kueue-manifests.py" "$PKI/ca.crt" \
    | kubectl_ apply --server-side --force-conflicts --field-manager=datapass-ci-cluster -f - >/dev/null
  kubectl_ -n "$KUEUE_NAMESPACE" rollout status "deployment/$KUEUE_DEPLOYMENT" --timeout="${UP_TIMEOUT}s" >/dev/null \
    || { kueue_log_hint >&2; die "kueue did not become ready"; }
  # ready means the webhook server listens; the apiserver reaching it through the Service is what users need
  printf 'apiVersion: kueue.x-k8s.io/v1beta2\nkind: ResourceFlavor\nmetadata: {name: datapass-ci-cluster-probe}\n' \
    >"$KUEUE_STATE/probe.yaml"
  wait_for 60 "kueue's webhooks to answer the apiserver" kubectl_ create --dry-run=server -f "$KUEUE_STATE/probe.yaml"
  log "kueue $KUEUE_VERSION up in $((SECONDS - t0))s (namespace $KUEUE_NAMESPACE)"
  kueue_log_hint >&2
}

# Deletes what up applied (found by $KUEUE_LABEL only): the webhooks first, so nothing waits for a stopped Kueue,
# then the controller, then the CRDs (their objects lose the finalizers only Kueue would remove), then the rest.
# Users' Jobs stay as they are; a Job Kueue had suspended stays suspended.
kueue_down() {
  need_root
  pid_of kube-apiserver >/dev/null || { log "the cluster is not up: no kueue runs"; return 0; }
  local crd ns name
  kubectl_ delete mutatingwebhookconfigurations,validatingwebhookconfigurations -l "$KUEUE_LABEL" --ignore-not-found >/dev/null
  kubectl_ -n "$KUEUE_NAMESPACE" delete deployment -l "$KUEUE_LABEL" --ignore-not-found >/dev/null
  kubectl_ -n "$KUEUE_NAMESPACE" wait --for=delete pod -l "$KUEUE_LABEL" --timeout=60s >/dev/null 2>&1 || true
  for crd in $(kubectl_ get crd -l "$KUEUE_LABEL" -o jsonpath='{.items[*].metadata.name}'); do
    kubectl_ get "$crd" -A -o jsonpath='{range .items[*]}{.metadata.namespace}{" "}{.metadata.name}{"\n"}{end}' 2>/dev/null \
      | while read -r ns name; do
          [ -n "$name" ] || { name=$ns; ns=""; }
          kubectl_ ${ns:+-n "$ns"} patch "$crd" "$name" --type=merge -p '{"metadata":{"finalizers":null}}' >/dev/null 2>&1 || true
        done
  done
  kubectl_ delete crd -l "$KUEUE_LABEL" --ignore-not-found --timeout=120s >/dev/null
  kubectl_ delete clusterrolebindings,clusterroles,namespaces -l "$KUEUE_LABEL" --ignore-not-found --timeout=120s >/dev/null
  log "kueue down"
}

kueue_status() {
  pid_of kube-apiserver >/dev/null || { echo "kueue: the cluster is not up"; return 1; }
  kubectl_ -n "$KUEUE_NAMESPACE" get deployment,pods -l "$KUEUE_LABEL" -o wide 2>&1 || true
  kueue_log_hint
  [ "$(kubectl_ -n "$KUEUE_NAMESPACE" get deployment "$KUEUE_DEPLOYMENT" --ignore-not-found \
    -o jsonpath='{.status.availableReplicas}')" = 1 ]
}
