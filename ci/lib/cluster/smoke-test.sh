#!/usr/bin/env bash
# Smoke test of a running cluster (ci/cluster up): a Job with a native sidecar, a regular init container writing
# into an emptyDir, a read-only hostPath and a main container reading both; kubectl logs; a ClusterIP Service
# reached from another pod and from the host; pods non-root, read-only root fs, all capabilities dropped.
# usage: ci/lib/cluster/smoke-test.sh        (exit 0 = all passed)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../common.sh"
CLUSTER="$HERE/../../cluster"
k() { "$CLUSTER" kubectl "$@"; }
NS=cluster-smoke
IMAGE=datapass/busybox:test
fail() { log "FAIL: $*"; k -n "$NS" get pods -o wide >&2 || true; k -n "$NS" describe pods >&2 || true; exit 1; }

"$CLUSTER" load-image "$("$HERE/build-test-image.sh")" >/dev/null
HOSTDIR="$(mktemp -d /tmp/cluster-smoke.XXXXXX)"; chmod 755 "$HOSTDIR"; echo "from-the-host" >"$HOSTDIR/hostfile"
trap 'rm -rf "$HOSTDIR"' EXIT
k delete namespace "$NS" --ignore-not-found --wait=true >/dev/null
k create namespace "$NS" >/dev/null

SEC='{allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}'
POD_SEC='{runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: {type: RuntimeDefault}}'
k apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: $NS, labels: {app: web}}
spec:
  terminationGracePeriodSeconds: 2
  securityContext: $POD_SEC
  containers:
  - name: httpd
    image: $IMAGE
    imagePullPolicy: IfNotPresent
    command: [httpd, -f, -v, -p, "8080", -h, /www]
    ports: [{containerPort: 8080}]
    securityContext: $SEC
    readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: 1}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: $NS}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: sidecar, namespace: $NS}
spec:
  backoffLimit: 0
  activeDeadlineSeconds: 180
  template:
    spec:
      restartPolicy: Never
      terminationGracePeriodSeconds: 5
      securityContext: $POD_SEC
      initContainers:
      - name: sidecar
        restartPolicy: Always
        image: $IMAGE
        imagePullPolicy: IfNotPresent
        command: [sh, -c, 'trap "exit 0" TERM; while true; do date | tee -a /shared/sidecar.log; sleep 1; done']
        securityContext: $SEC
        volumeMounts: [{name: shared, mountPath: /shared}]
      - name: init
        image: $IMAGE
        imagePullPolicy: IfNotPresent
        command: [sh, -c, 'echo init-was-here > /shared/init.txt; sleep 1']
        securityContext: $SEC
        volumeMounts: [{name: shared, mountPath: /shared}]
      containers:
      - name: main
        image: $IMAGE
        imagePullPolicy: IfNotPresent
        command:
        - sh
        - -c
        - |
          set -e
          cat /shared/init.txt
          cat /host/hostfile
          test -s /shared/sidecar.log && echo sidecar-ran
          echo "id: \$(id)"
          if touch /should-fail 2>/dev/null; then echo rootfs-writable; exit 1; else echo rootfs-read-only; fi
          grep CapEff /proc/self/status
          token=\$(cat /var/run/secrets/kubernetes.io/serviceaccount/token)
          wget -qO- --no-check-certificate --header "Authorization: Bearer \$token" https://10.96.0.1/version \
            | grep -q gitVersion && echo apiserver-reachable-via-service-ip-with-sa-token
        securityContext: $SEC
        volumeMounts:
        - {name: shared, mountPath: /shared}
        - {name: host, mountPath: /host, readOnly: true}
      volumes:
      - {name: shared, emptyDir: {}}
      - {name: host, hostPath: {path: $HOSTDIR, type: Directory}}
YAML
k -n "$NS" wait --for=condition=complete job/sidecar --timeout=180s >/dev/null || fail "job sidecar did not complete"
out="$(k -n "$NS" logs job/sidecar -c main)" || fail "kubectl logs"
printf '%s\n' "$out" | sed 's/^/  main| /' >&2
for want in init-was-here from-the-host sidecar-ran uid=65532 rootfs-read-only 'CapEff:.*0000000000000000' \
            apiserver-reachable-via-service-ip-with-sa-token; do
  printf '%s\n' "$out" | grep -q -- "$want" || fail "main container output lacks '$want'"
done
[ -n "$(k -n "$NS" logs job/sidecar -c sidecar)" ] || fail "no sidecar logs"
log "PASS: job with native sidecar + init container + emptyDir + hostPath completed, kubectl logs works, non-root/read-only/no caps"

k -n "$NS" wait --for=condition=Ready pod/web --timeout=60s >/dev/null || fail "web pod not ready"
svc_ip="$(k -n "$NS" get service web -o jsonpath='{.spec.clusterIP}')"
k -n "$NS" run client --image="$IMAGE" --image-pull-policy=IfNotPresent --restart=Never \
  --overrides="{\"spec\":{\"securityContext\":{\"runAsNonRoot\":true,\"runAsUser\":65532},\"containers\":[{\"name\":\"client\",\"image\":\"$IMAGE\",\"command\":[\"wget\",\"-qO-\",\"http://$svc_ip/\"],\"securityContext\":{\"allowPrivilegeEscalation\":false,\"readOnlyRootFilesystem\":true,\"capabilities\":{\"drop\":[\"ALL\"]}}}]}}" >/dev/null
k -n "$NS" wait --for=jsonpath='{.status.phase}'=Succeeded pod/client --timeout=60s >/dev/null || fail "client pod could not fetch http://$svc_ip/"
k -n "$NS" logs client | grep -q 'hello from datapass/busybox' || fail "unexpected answer through the service"
log "PASS: Service $svc_ip routes to the web pod (from another pod)"
curl -fsS -m 5 "http://$svc_ip/" | grep -q 'hello from datapass/busybox' || fail "host could not reach http://$svc_ip/"
log "PASS: Service $svc_ip reachable from the host"
k delete namespace "$NS" --wait=false >/dev/null
log "all smoke tests passed"
