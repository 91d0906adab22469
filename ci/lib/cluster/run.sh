# Sourced by ci/cluster: starts, stops and inspects the single-node cluster.
# Everything lives under $CLUSTER_DIR: pki/, etc/ (configs, kubeconfigs), run/ (logs, pids, sockets), data dirs.

NODE_NAME="${CLUSTER_NODE_NAME:-datapass}"
NODE_IP="${CLUSTER_NODE_IP:-10.250.0.1}"        # a /32 on lo: reachable from pods, advertised by the apiserver
POD_CIDR="${CLUSTER_POD_CIDR:-10.244.0.0/24}"
SERVICE_CIDR="${CLUSTER_SERVICE_CIDR:-10.96.0.0/24}"
API_SERVICE_IP="${CLUSTER_API_SERVICE_IP:-10.96.0.1}"
API_PORT="${CLUSTER_API_PORT:-6443}"
ETCD_PORT="${CLUSTER_ETCD_PORT:-2379}"
CNI_BRIDGE="dp-cni0"
CNI_NETWORK="datapass"
PKI="$CLUSTER_DIR/pki"
ETC="$CLUSTER_DIR/etc"
CONTAINERD_SOCK="$RUN/containerd.sock"
# Started in this order; down stops kubelet/proxy/scheduler/controller-manager, then apiserver, then containerd+etcd.
COMPONENTS=(etcd containerd kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy)
UP_TIMEOUT="${CLUSTER_UP_TIMEOUT:-180}"

need_root() { [ "$(id -u)" -eq 0 ] || die "ci/cluster $cmd needs root (containerd, kubelet, iptables)"; }

ctr_() { ctr --address "$CONTAINERD_SOCK" --namespace k8s.io "$@"; }
kubectl_() { "$BIN/kubectl" --kubeconfig "$CLUSTER_DIR/admin.kubeconfig" "$@"; }

# ---- processes: pid, start time and binary recorded by up, so a reused pid is never taken for ours ----
start_time() { # the process's start time in clock ticks since boot (/proc/PID/stat field 22)
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"; set -- $stat; printf '%s\n' "${20}"
}

pid_of() {
  local name=$1 pid exe
  pid="$(cat "$RUN/$name.pid" 2>/dev/null)" || return 1
  [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 1
  exe="$(readlink "/proc/$pid/exe" 2>/dev/null)" || return 1
  [ "${exe% (deleted)}" = "$(cat "$RUN/$name.exe" 2>/dev/null)" ] || return 1
  [ "$(start_time "$pid")" = "$(cat "$RUN/$name.start" 2>/dev/null)" ] || return 1
  printf '%s\n' "$pid"
}

start_proc() {
  local name=$1 pid; shift
  pid_of "$name" >/dev/null && { log "$name already runs"; return 0; }
  readlink -f "$1" >"$RUN/$name.exe"
  printf '%q ' "$@" >"$RUN/$name.cmdline"
  setsid "$@" >>"$RUN/$name.log" 2>&1 </dev/null &
  pid=$!
  start_time "$pid" >"$RUN/$name.start" || true   # died at once: up times out waiting for it, naming its log
  echo "$pid" >"$RUN/$name.pid"
}

# Stops the named processes together: SIGTERM, up to 10 s, then SIGKILL.
stop_procs() {
  local name pid pids=() i alive
  for name in "$@"; do
    if pid="$(pid_of "$name")"; then kill -TERM "$pid" 2>/dev/null || true; pids+=("$pid:$name"); fi
  done
  for ((i = 0; i < 40 && ${#pids[@]} > 0; i++)); do
    alive=(); for pid in "${pids[@]}"; do [ -d "/proc/${pid%%:*}" ] && alive+=("$pid"); done
    pids=("${alive[@]+"${alive[@]}"}"); [ ${#pids[@]} -gt 0 ] && sleep 0.25
  done
  for pid in "${pids[@]+"${pids[@]}"}"; do
    log "${pid#*:} (${pid%%:*}) ignores SIGTERM, killing it"; kill -KILL "${pid%%:*}" 2>/dev/null || true
  done
  [ ${#pids[@]} -gt 0 ] && sleep 0.5
  for name in "$@"; do rm -f "$RUN/$name.pid" "$RUN/$name.start"; done
}

wait_for() { # wait_for SECONDS WHAT CMD...
  local t=$1 what=$2 i; shift 2
  for ((i = 0; i < t * 4; i++)); do "$@" >/dev/null 2>&1 && return 0; sleep 0.25; done
  die "timed out after ${t}s waiting for $what (logs: $RUN)"
}

# ---- certificates and kubeconfigs ----
mkcert() { # mkcert NAME SUBJECT EKU [SANS]
  local name=$1 subj=$2 eku=$3 san=${4:-}
  [ -f "$PKI/$name.crt" ] && return 0
  # RSA: every Kubernetes client reads it (fabric8 needs extra settings for EC keys)
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$PKI/$name.key" 2>/dev/null
  openssl req -new -key "$PKI/$name.key" -subj "$subj" -out "$PKI/$name.csr"
  printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=%s\n%s' \
    "$eku" "${san:+subjectAltName=$san}" >"$PKI/$name.ext"
  openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial -days 3650 \
    -extfile "$PKI/$name.ext" -out "$PKI/$name.crt" 2>/dev/null
  rm -f "$PKI/$name.csr" "$PKI/$name.ext"
}

make_pki() {
  mkdir -p "$PKI"; chmod 700 "$PKI"
  # regenerate everything when the node address changed
  [ "$(cat "$PKI/node-ip" 2>/dev/null)" = "$NODE_IP $NODE_NAME rsa" ] || rm -f "$PKI"/*
  if [ ! -f "$PKI/ca.crt" ]; then
    log "creating certificates in $PKI"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$PKI/ca.key" -subj "/CN=datapass-ca" -days 3650 \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" \
      -out "$PKI/ca.crt" 2>/dev/null
    openssl genrsa -out "$PKI/sa.key" 2048 2>/dev/null
    openssl rsa -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null
  fi
  mkcert apiserver "/CN=kube-apiserver" serverAuth \
    "IP:$API_SERVICE_IP,IP:$NODE_IP,IP:127.0.0.1,DNS:localhost,DNS:$NODE_NAME,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  mkcert apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" clientAuth
  mkcert kubelet "/CN=$NODE_NAME" serverAuth "IP:$NODE_IP,IP:127.0.0.1,DNS:$NODE_NAME,DNS:localhost"
  mkcert admin "/O=system:masters/CN=datapass-admin" clientAuth
  mkcert kubelet-client "/O=system:nodes/CN=system:node:$NODE_NAME" clientAuth
  mkcert controller-manager "/CN=system:kube-controller-manager" clientAuth
  mkcert scheduler "/CN=system:kube-scheduler" clientAuth
  mkcert kube-proxy "/CN=system:kube-proxy" clientAuth
  printf '%s %s rsa\n' "$NODE_IP" "$NODE_NAME" >"$PKI/node-ip"
}

write_kubeconfig() { # write_kubeconfig FILE CERTNAME
  cat >"$1" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: datapass
  cluster:
    server: https://$NODE_IP:$API_PORT
    certificate-authority-data: $(base64 -w0 "$PKI/ca.crt")
users:
- name: $2
  user:
    client-certificate-data: $(base64 -w0 "$PKI/$2.crt")
    client-key-data: $(base64 -w0 "$PKI/$2.key")
contexts:
- name: datapass
  context: {cluster: datapass, user: $2}
current-context: datapass
EOF
  chmod 600 "$1"
}

# ---- configuration files ----
write_configs() {
  mkdir -p "$ETC/cni"
  write_kubeconfig "$CLUSTER_DIR/admin.kubeconfig" admin
  local c; for c in kubelet-client controller-manager scheduler kube-proxy; do write_kubeconfig "$ETC/$c.kubeconfig" "$c"; done

  cat >"$ETC/containerd.toml" <<EOF
version = 2
root = "$CLUSTER_DIR/containerd/root"
state = "$CLUSTER_DIR/containerd/state"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs", "io.containerd.tracing.processor.v1.otlp"]
[grpc]
  address = "$CONTAINERD_SOCK"
[ttrpc]
  address = "$CONTAINERD_SOCK.ttrpc"
[metrics]
  address = ""
[cgroup]
  path = "$CGROUP_ROOT/containerd"
[plugins."io.containerd.internal.v1.opt"]
  path = "$CLUSTER_DIR/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  restrict_oom_score_adj = true
  disable_apparmor = true
  enable_selinux = false
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  enable_unprivileged_ports = true
  enable_unprivileged_icmp = true
  netns_mounts_under_state_dir = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        ShimCgroup = "$CGROUP_ROOT/shims"
        BinaryName = "$(command -v runc)"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$ETC/cni"
    max_conf_num = 1
EOF

  cat >"$ETC/cni/10-datapass.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "$CNI_NETWORK",
  "plugins": [
    {
      "type": "bridge", "bridge": "$CNI_BRIDGE", "isGateway": true, "ipMasq": true, "hairpinMode": true,
      "ipam": {"type": "host-local", "ranges": [[{"subnet": "$POD_CIDR"}]], "routes": [{"dst": "0.0.0.0/0"}],
               "dataDir": "$CLUSTER_DIR/cni-ipam"}
    },
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
EOF

  cat >"$ETC/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: cgroupfs
cgroupRoot: $CGROUP_ROOT
failSwapOn: false
failCgroupV1: false
oomScoreAdj: 0
containerRuntimeEndpoint: unix://$CONTAINERD_SOCK
address: $NODE_IP
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
tlsCertFile: $PKI/kubelet.crt
tlsPrivateKeyFile: $PKI/kubelet.key
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $PKI/ca.crt}
authorization: {mode: Webhook}
clusterDomain: cluster.local
resolvConf: /etc/resolv.conf
podLogsDirectory: $CLUSTER_DIR/pod-logs
volumePluginDir: $CLUSTER_DIR/kubelet-plugins
evictionHard: {memory.available: "64Mi", nodefs.available: "1%", nodefs.inodesFree: "1%", imagefs.available: "1%"}
evictionPressureTransitionPeriod: 10s
imageGCHighThresholdPercent: 99
imageGCLowThresholdPercent: 98
serializeImagePulls: false
nodeStatusUpdateFrequency: 5s
syncFrequency: 10s
fileCheckFrequency: 10s
rotateCertificates: false
serverTLSBootstrap: false
maxPods: 60
EOF
}

# ---- host networking ----
setup_network() {
  if ! ip -4 addr show dev lo | grep -q " $NODE_IP/32 "; then
    ip addr add "$NODE_IP/32" dev lo
    : >"$RUN/added-lo-address"
  fi
  : >"$RUN/iptables-ours"   # from now on KUBE-* chains on this host are our kube-proxy's and kubelet's
  sysctl -qw net.ipv4.ip_forward=1
  [ -e /proc/sys/net/bridge/bridge-nf-call-iptables ] && sysctl -qw net.bridge.bridge-nf-call-iptables=1 || true
}

# Removes the rules that name our CNI network and the per-pod CNI-* chains they jump to. When this cluster's kube-proxy
# ran here, also KUBE-* and portmap's shared CNI-HOSTPORT-* (if no other network has rules left in it): their names are
# fixed, one kube-proxy per host, so on a host without our marker they belong to someone else.
clean_iptables() {
  local ipt t rules mine ours chains rule chain ran=false
  [ -f "$RUN/iptables-ours" ] && ran=true
  mine="name: \\\\?\"?$CNI_NETWORK\\\\?\""   # the comment the bridge and portmap plugins put on our rules
  for ipt in iptables ip6tables; do
    command -v "$ipt" >/dev/null || continue
    for t in nat filter mangle; do
      rules="$($ipt -t "$t" -S 2>/dev/null)" || continue
      ours="$(grep -E -- "^-A .*$mine" <<<"$rules" || true)"
      chains="$(sed -n 's/.* -j \(CNI-[^ ]*\).*/\1/p' <<<"$ours" | grep -v '^CNI-HOSTPORT-' || true)"
      if $ran; then
        ours+=$'\n'"$(grep -E -- '^-A .* -j KUBE-' <<<"$rules" || true)"
        chains+=$'\n'"$(sed -n 's/^-N \(KUBE-[^ ]*\)$/\1/p' <<<"$rules")"
        if [ -z "$(grep -E -- '^-A CNI-HOSTPORT-DNAT ' <<<"$rules" | grep -vE -- "$mine" || true)" ]; then
          ours+=$'\n'"$(grep -E -- '^-A .* -j CNI-HOSTPORT-' <<<"$rules" || true)"
          chains+=$'\n'"$(sed -n 's/^-N \(CNI-HOSTPORT-[^ ]*\)$/\1/p' <<<"$rules")"
        fi
      fi
      while read -r rule; do   # rules in chains that go anyway are flushed with them
        chain="${rule#-A }"; chain="${chain%% *}"
        [ -n "$rule" ] && ! grep -qxF -- "$chain" <<<"$chains" && { eval "$ipt -t $t ${rule/#-A/-D}" 2>/dev/null || true; }
      done <<<"$ours"
      for chain in $chains; do $ipt -t "$t" -F "$chain" 2>/dev/null || true; done
      for chain in $chains; do $ipt -t "$t" -X "$chain" 2>/dev/null || true; done
    done
  done
  rm -f "$RUN/iptables-ours"
}

mounts_under() { # mounts_under DIR: mount points below DIR, deepest first
  awk '{print $5}' /proc/self/mountinfo | { grep -F "$1/" || true; } | sort -r
}

# Unmounts everything under $CLUSTER_DIR.
unmount_all() {
  local m
  mounts_under "$CLUSTER_DIR" | while read -r m; do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || log "could not unmount $m"
  done
}

# Tasks and containers left in our containerd's k8s.io namespace (the only one the CRI plugin and load-image use).
# Images stay; a container's snapshot goes with it.
clean_containerd_namespace() {
  local id
  for id in $(ctr_ tasks ls -q 2>/dev/null); do ctr_ tasks kill -a -s SIGKILL "$id" >/dev/null 2>&1 || true; done
  for _ in $(seq 1 20); do
    ctr_ tasks ls 2>/dev/null | awk 'NR > 1 && $3 != "STOPPED" { found = 1 } END { exit !found }' || break
    sleep 0.25
  done
  for id in $(ctr_ tasks ls -q 2>/dev/null); do ctr_ tasks delete -f "$id" >/dev/null 2>&1 || true; done
  for id in $(ctr_ containers ls -q 2>/dev/null); do ctr_ containers delete "$id" >/dev/null 2>&1 || log "could not delete container $id"; done
}

import_image() { # import_image TAR
  ctr_ images import "$1" >/dev/null
}

# ---- subcommands ----
cluster_up() {
  need_root
  local t0=$SECONDS c running=0
  for c in "${COMPONENTS[@]}"; do pid_of "$c" >/dev/null && running=$((running + 1)); done
  if [ "$running" -eq ${#COMPONENTS[@]} ]; then log "cluster already up"; cluster_wait_ready; return 0; fi
  [ "$running" -gt 0 ] && log "cluster partly up: cleaning up first"
  cluster_down >/dev/null 2>&1 || true   # also clears what a crashed or killed earlier run left behind

  ensure_debian_packages containerd runc containernetworking-plugins iptables conntrack openssl umoci skopeo gcc libc6-dev
  cluster_build >/dev/null
  mkdir -p "$RUN" "$ETC"
  # fresh cluster state on every up; the containerd image store is kept
  unmount_all
  rm -rf "$CLUSTER_DIR/etcd" "$CLUSTER_DIR/kubelet" "$CLUSTER_DIR/pod-logs" "$CLUSTER_DIR/cni-ipam" "$CLUSTER_DIR/containerd/state"
  rm -f "$RUN"/*.log
  make_pki
  write_configs
  setup_network
  cgroup_root_create

  start_proc etcd "$BIN/etcd" --name default --data-dir "$CLUSTER_DIR/etcd" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$((ETCD_PORT + 1))" --initial-advertise-peer-urls "http://127.0.0.1:$((ETCD_PORT + 1))" \
    --initial-cluster "default=http://127.0.0.1:$((ETCD_PORT + 1))" --unsafe-no-fsync --log-level warn
  start_proc containerd "$(command -v containerd)" --config "$ETC/containerd.toml"
  wait_for 30 etcd curl -fsS "http://127.0.0.1:$ETCD_PORT/health"

  start_proc kube-apiserver "$BIN/kube-apiserver" \
    --advertise-address="$NODE_IP" --bind-address="$NODE_IP" --secure-port="$API_PORT" \
    --etcd-servers="http://127.0.0.1:$ETCD_PORT" --service-cluster-ip-range="$SERVICE_CIDR" \
    --client-ca-file="$PKI/ca.crt" --tls-cert-file="$PKI/apiserver.crt" --tls-private-key-file="$PKI/apiserver.key" \
    --kubelet-client-certificate="$PKI/apiserver-kubelet-client.crt" --kubelet-client-key="$PKI/apiserver-kubelet-client.key" \
    --kubelet-preferred-address-types=InternalIP,Hostname \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$PKI/sa.pub" --service-account-signing-key-file="$PKI/sa.key" \
    --authorization-mode=Node,RBAC --enable-admission-plugins=NodeRestriction --allow-privileged=true \
    --cert-dir="$CLUSTER_DIR/apiserver-certs" --profiling=false --event-ttl=1h

  wait_for 30 containerd ctr_ version
  ctr_ images ls -q | grep -qxF "$PAUSE_IMAGE" || import_image "$K8S_DIR/images/pause.tar"
  wait_for 60 kube-apiserver curl -fsS --cacert "$PKI/ca.crt" "https://$NODE_IP:$API_PORT/readyz"

  start_proc kube-controller-manager "$BIN/kube-controller-manager" --kubeconfig="$ETC/controller-manager.kubeconfig" \
    --authentication-kubeconfig="$ETC/controller-manager.kubeconfig" --authorization-kubeconfig="$ETC/controller-manager.kubeconfig" \
    --bind-address=127.0.0.1 --leader-elect=false --use-service-account-credentials=true \
    --service-account-private-key-file="$PKI/sa.key" --root-ca-file="$PKI/ca.crt" \
    --cluster-signing-cert-file="$PKI/ca.crt" --cluster-signing-key-file="$PKI/ca.key" \
    --service-cluster-ip-range="$SERVICE_CIDR" --profiling=false --flex-volume-plugin-dir="$CLUSTER_DIR/kubelet-plugins"
  start_proc kube-scheduler "$BIN/kube-scheduler" --kubeconfig="$ETC/scheduler.kubeconfig" \
    --authentication-kubeconfig="$ETC/scheduler.kubeconfig" --authorization-kubeconfig="$ETC/scheduler.kubeconfig" \
    --bind-address=127.0.0.1 --leader-elect=false --profiling=false
  start_proc kubelet "$BIN/kubelet" --config="$ETC/kubelet.yaml" --kubeconfig="$ETC/kubelet-client.kubeconfig" \
    --hostname-override="$NODE_NAME" --node-ip="$NODE_IP" --root-dir="$CLUSTER_DIR/kubelet"
  start_proc kube-proxy "$BIN/kube-proxy" --kubeconfig="$ETC/kube-proxy.kubeconfig" --proxy-mode=iptables \
    --hostname-override="$NODE_NAME" --cluster-cidr="$POD_CIDR" --conntrack-max-per-core=0 \
    --conntrack-tcp-timeout-established=0 --conntrack-tcp-timeout-close-wait=0 \
    --healthz-bind-address=127.0.0.1:10256 --metrics-bind-address=127.0.0.1:10249 --nodeport-addresses="$NODE_IP/32"

  cluster_wait_ready
  log "cluster up in $((SECONDS - t0))s; KUBECONFIG=$CLUSTER_DIR/admin.kubeconfig"
}

cluster_wait_ready() {
  wait_for "$UP_TIMEOUT" "node $NODE_NAME to be Ready" \
    sh -c "'$BIN/kubectl' --kubeconfig '$CLUSTER_DIR/admin.kubeconfig' get node '$NODE_NAME' -o jsonpath='{.status.conditions[?(@.type==\"Ready\")].status}' | grep -qx True"
  wait_for "$UP_TIMEOUT" "the default ServiceAccount" kubectl_ -n default get serviceaccount default
}

cluster_down() {
  need_root
  if pid_of kube-apiserver >/dev/null && pid_of kubelet >/dev/null; then
    # let the kubelet tear pods down properly (CNI DEL, unmounts); nothing may recreate them meanwhile
    stop_procs kube-controller-manager
    kubectl_ delete pods --all-namespaces --all --grace-period=0 --force --wait=false >/dev/null 2>&1 || true
    for _ in $(seq 1 60); do
      [ -z "$(ctr_ tasks ls -q 2>/dev/null)" ] && break; sleep 0.5
    done
  fi
  stop_procs kube-proxy kubelet kube-scheduler kube-controller-manager
  stop_procs kube-apiserver
  pid_of containerd >/dev/null && clean_containerd_namespace
  stop_procs containerd etcd
  rm -f "$CONTAINERD_SOCK" "$CONTAINERD_SOCK.ttrpc"
  cgroup_root_remove   # shims and any container process still running: all in our cgroup root
  [ -f "$RUN/iptables-ours" ] && [ -x "$BIN/kube-proxy" ] && { "$BIN/kube-proxy" --cleanup >/dev/null 2>&1 || true; }
  clean_iptables
  unmount_all
  # containerd's runtime state (task bundles, netns files); only once nothing is mounted there any more
  [ -z "$(mounts_under "$CLUSTER_DIR/containerd/state")" ] && rm -rf "$CLUSTER_DIR/containerd/state"
  ip link show "$CNI_BRIDGE" >/dev/null 2>&1 && ip link del "$CNI_BRIDGE"
  if [ -f "$RUN/added-lo-address" ]; then ip addr del "$NODE_IP/32" dev lo 2>/dev/null || true; rm -f "$RUN/added-lo-address"; fi
  rm -rf "$CLUSTER_DIR/cni-ipam"
  log "cluster down"
}

cluster_status() {
  local c pid root up=0
  for c in "${COMPONENTS[@]}"; do
    if pid="$(pid_of "$c")"; then printf '%-24s running (pid %s)\n' "$c" "$pid"; up=$((up + 1))
    else printf '%-24s stopped\n' "$c"; fi
  done
  printf 'state dir:  %s (logs: %s/*.log)\nkubeconfig: %s\n' "$CLUSTER_DIR" "$RUN" "$CLUSTER_DIR/admin.kubeconfig"
  if root="$(recorded_cgroup_root)"; then
    printf 'cgroup root: %s (%s processes)\n' "$root" "$(cgroup_pids "$root" | wc -l)"
  fi
  if pid_of kube-apiserver >/dev/null; then
    kubectl_ get nodes -o wide 2>&1 || true
    kubectl_ get pods -A -o wide 2>&1 || true
  fi
  [ "$up" -eq ${#COMPONENTS[@]} ]
}

# Imports image tarballs (docker-archive or OCI archive) into containerd's k8s.io namespace. OCI archives keep
# short names ("datapass/x:1"); these get the docker.io/ name too, which is how the kubelet looks images up.
cluster_load_image() {
  need_root
  pid_of containerd >/dev/null || die "containerd is not running: ci/cluster up first"
  local tar out name full
  for tar in "$@"; do
    [ -f "$tar" ] || die "no such file: $tar"
    out="$(ctr_ images import "$tar")" || die "could not import $tar"
    printf '%s\n' "$out"
    for name in $(printf '%s\n' "$out" | sed -n 's/^unpacking \([^ ]*\) (.*/\1/p'); do
      case "${name%%/*}" in
        *.*|*:*|localhost) continue ;;   # has a registry host already
      esac
      case "$name" in */*) full="docker.io/$name" ;; *) full="docker.io/library/$name" ;; esac
      ctr_ images tag --force "$name" "$full" >/dev/null && log "tagged $name as $full"
    done
  done
}
