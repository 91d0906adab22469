#!/usr/bin/env bash
# `ci/cluster down` stops what `up` started and nothing else. Before it runs, this places processes that only look
# like ours: a "pod" of another kubelet (a sleep in /kubepods/... and one in /kubepods.slice/..., the cgroups of a
# kubeadm or k3s node) and a process whose command line names our containerd socket. After `down` (of a running
# cluster or of none) they must still run, and nothing of the cluster may be left: processes, cgroups, mounts,
# containerd's runtime state, the bridge, the lo address, its iptables rules, its ports.
# usage: ci/lib/cluster/isolation-test.sh      (root; takes the cluster down; exit 0 = passed)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../common.sh"
CLUSTER="${CLUSTER:-$HERE/../../cluster}"   # CLUSTER=other/ci/cluster: check another version's down
CLUSTER_DIR="${CLUSTER_DIR:-$DATAPASS_CACHE/cluster}"
RUN="$CLUSTER_DIR/run"
CGROUP_ROOT="${CLUSTER_CGROUP_ROOT:-/datapass-cluster}"
NODE_IP="${CLUSTER_NODE_IP:-10.250.0.1}"
[ "$(id -u)" -eq 0 ] || die "isolation-test.sh needs root (cgroups, ci/cluster down)"

failures=0
fail() { log "FAIL: $*"; failures=$((failures + 1)); }
alive() { local s; s="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1; s="${s##*) }"; [ "${s%% *}" != Z ]; }
mounts() { awk '$3 == "cgroup" || $3 == "cgroup2" { print $2 }' /proc/self/mounts | sort -u; }

created=()     # cgroup directories this test made, removed again in reverse order
foreign=()     # pids of the foreign processes
what=()        # what each of them stands for
leaves=()      # the foreign pods' cgroups
cleanup() {
  local i pid
  set +e
  for pid in "${foreign[@]+"${foreign[@]}"}"; do kill -KILL "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; done
  iptables -t nat -D POSTROUTING $FOREIGN_RULE 2>/dev/null || true
  for chain in $FOREIGN_CHAINS; do iptables -t nat -F "$chain" 2>/dev/null || true; iptables -t nat -X "$chain" 2>/dev/null || true; done
  for ((i = ${#created[@]} - 1; i >= 0; i--)); do
    [ ! -d "${created[$i]}" ] || rmdir "${created[$i]}" || log "could not remove ${created[$i]}"
  done
}
trap cleanup EXIT

# A sleep in cgroup PATH of every hierarchy, as another node's kubelet and runc would place a container.
foreign_pod() { # foreign_pod /PATH
  local m d part f pid
  sleep 300 & pid=$!
  for m in $(mounts); do
    d="$m"
    for part in ${1//\// }; do
      d="$d/$part"
      [ -d "$d" ] && continue
      mkdir "$d"; created+=("$d")
      for f in cpuset.cpus cpuset.mems; do   # a v1 cpuset takes no process until it has cpus and mems
        [ -f "$d/$f" ] && [ -z "$(cat "$d/$f")" ] && cat "$(dirname "$d")/$f" >"$d/$f"
      done
    done
    echo "$pid" >"$d/cgroup.procs"; leaves+=("$d")
  done
  foreign+=("$pid"); what+=("a pod of another kubelet in $1")
}

foreign_pod /kubepods/besteffort/pod0e5c2a52-isolation/7f3d0c1e9b
foreign_pod /kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod0e5c2a52_isolation.slice/cri-containerd-7f3d0c1e9b.scope
# not a shim of ours, though its command line says so: a lookup by command line would take it for one
bash -c 'exec -a "containerd-shim-runc-v2 -namespace k8s.io -id 7f3d0c1e9b -address $0" sleep 300' \
  "$RUN/containerd.sock" & foreign+=($!); what+=("a process naming our containerd socket")
# another network's CNI chain and rule; and, where this cluster's kube-proxy did not run, another kube-proxy's chain
kube_chains_were_ours=false; [ -f "$RUN/iptables-ours" ] && kube_chains_were_ours=true
FOREIGN_CHAINS="CNI-0e5c2a52150a0c0ffee0f00d"; $kube_chains_were_ours || FOREIGN_CHAINS+=" KUBE-ISOLATION-TEST"
FOREIGN_RULE='-s 192.0.2.7/32 -m comment --comment name:"cbr0" -j CNI-0e5c2a52150a0c0ffee0f00d'
for chain in $FOREIGN_CHAINS; do iptables -t nat -N "$chain"; iptables -t nat -A "$chain" -j RETURN; done
iptables -t nat -A POSTROUTING $FOREIGN_RULE
sleep 0.2

timeout 300 "$CLUSTER" down || fail "ci/cluster down exited $?"

[ "${#foreign[@]}" -eq 3 ] || fail "expected 3 foreign processes, started ${#foreign[@]}"
for i in "${!foreign[@]}"; do
  alive "${foreign[$i]}" || fail "killed: ${what[$i]} (pid ${foreign[$i]})"
done
for d in "${leaves[@]}"; do
  [ -d "$d" ] || fail "removed: the foreign cgroup $d"
done
for chain in $FOREIGN_CHAINS; do
  iptables -t nat -S "$chain" 2>/dev/null | grep -q -- '-j RETURN' || fail "removed: the foreign iptables chain $chain"
done
iptables -t nat -C POSTROUTING $FOREIGN_RULE 2>/dev/null || fail "removed: the foreign iptables rule $FOREIGN_RULE"

# nothing of the cluster is left (other users of the same binaries, such as test fixtures, don't use $CLUSTER_DIR)
for p in /proc/[0-9]*; do
  exe="$(readlink "$p/exe" 2>/dev/null)" || continue
  case "$exe" in
    "$DATAPASS_CACHE"/k8s/*|*/containerd|*/containerd-shim-runc-v2|*/runc)
      grep -qF "$CLUSTER_DIR/" <<<"$(tr '\0' ' ' <"$p/cmdline" 2>/dev/null)" && fail "still running: ${p#/proc/} $exe" ;;
  esac
done
for m in $(mounts); do [ -e "$m$CGROUP_ROOT" ] && fail "cgroup $m$CGROUP_ROOT is left"; done
[ -e "$RUN/cgroup-root" ] && fail "$RUN/cgroup-root is left"
left="$(awk '{print $5}' /proc/self/mountinfo | grep -F "$CLUSTER_DIR/" || true)"
[ -z "$left" ] && log "no mounts under $CLUSTER_DIR" || fail "mounts left under $CLUSTER_DIR: $left"
[ -e "$CLUSTER_DIR/containerd/state" ] && fail "containerd's runtime state $CLUSTER_DIR/containerd/state is left"
ip link show dp-cni0 >/dev/null 2>&1 && fail "bridge dp-cni0 is left"
ip -4 addr show dev lo | grep -qF " $NODE_IP/32 " && fail "address $NODE_IP is left on lo"
for ipt in iptables ip6tables; do
  rules="$($ipt -t nat -S 2>/dev/null; $ipt -t filter -S 2>/dev/null)" || continue
  grep -qE 'name: \\?"?datapass\\?"' <<<"$rules" && fail "$ipt rules of the CNI network datapass are left"
  left="$(grep -E '^-N (KUBE|CNI)-' <<<"$rules" | grep -vxE -- "-N (${FOREIGN_CHAINS// /|})" || true)"
  $kube_chains_were_ours && [ -n "$left" ] && fail "$ipt KUBE-/CNI- chains are left: $(echo $left)"
done
listening="$(ss -Hltn | awk '{print $4}' | grep -F "$NODE_IP:" || true)"
[ -z "$listening" ] || fail "still listening: $(echo $listening)"
"$CLUSTER" status >/dev/null 2>&1 && fail "ci/cluster status says the cluster still runs"

[ "$failures" -eq 0 ] || die "$failures isolation check(s) failed"
log "PASS: ci/cluster down left the foreign pods and processes running and nothing of the cluster behind"
