# Sourced by ci/cluster: the cluster's own cgroup root, so that `down` kills exactly what `up` started.
# The kubelet puts pods under $CGROUP_ROOT/kubepods (cgroupRoot), containerd runs in $CGROUP_ROOT/containerd and the
# shims in $CGROUP_ROOT/shims. Another kubelet on the host (k3s, kubeadm) uses /kubepods or /kubepods.slice: never ours.
# Works on cgroup v1 (one directory per hierarchy, the unified one of a hybrid host included) and on cgroup v2.

CGROUP_ROOT="${CLUSTER_CGROUP_ROOT:-/datapass-cluster}"
CGROUP_RECORD="$RUN/cgroup-root"   # written by up: the root down cleans, whatever CLUSTER_CGROUP_ROOT says then

# One top-level name, nothing a kubelet or systemd would make ("/", "/kubepods", "*.slice").
valid_cgroup_root() {
  [[ "$1" =~ ^/[A-Za-z0-9_][A-Za-z0-9_.-]*$ ]] && [[ "$1" != /kubepods* && "$1" != *.slice ]]
}

# Mount points of every cgroup hierarchy (v1 controllers, name=systemd, cgroup2).
cgroup_mounts() {
  awk '$3 == "cgroup" || $3 == "cgroup2" { print $2 }' /proc/self/mounts | sort -u
}

# The directories of a cgroup path in every hierarchy where it exists.
cgroup_dirs() { # cgroup_dirs /PATH
  local m; for m in $(cgroup_mounts); do [ -d "$m$1" ] && printf '%s\n' "$m$1"; done; return 0
}

# mkdir in every hierarchy; a new v1 cpuset is empty (no process may join it) until it copies its parent's.
cgroup_mkdir() { # cgroup_mkdir /PATH
  local m d f
  for m in $(cgroup_mounts); do
    d="$m$1"; mkdir -p "$d"
    [ "$(stat -fc %T "$m")" = cgroupfs ] || continue
    for f in cpuset.cpus cpuset.mems; do
      [ -f "$d/$f" ] && [ -z "$(cat "$d/$f")" ] && cat "$(dirname "$d")/$f" >"$d/$f"
    done
  done
  return 0
}

# cgroup v2 only (a hybrid host's unified tree holds no controllers the kubelet uses): the kubelet wants cpu, cpuset,
# memory, pids and hugetlb in its root, and a top-level cgroup has them once the tree's root delegates them. systemd
# does; a host without it may not. With cgroupRoot "/" the kubelet did not need this.
cgroup2_delegate() {
  local m=/sys/fs/cgroup c
  [ "$(stat -fc %T "$m")" = cgroup2fs ] || return 0
  for c in $(cat "$m/cgroup.controllers"); do
    case " cpu cpuset memory pids hugetlb " in *" $c "*) ;; *) continue ;; esac
    grep -qw "$c" "$m/cgroup.subtree_control" || echo "+$c" >"$m/cgroup.subtree_control" || log "could not delegate $c in $m"
  done
  return 0
}

cgroup_root_create() {
  valid_cgroup_root "$CGROUP_ROOT" || die "CLUSTER_CGROUP_ROOT=$CGROUP_ROOT: want one top-level name such as /datapass-cluster"
  printf '%s\n' "$CGROUP_ROOT" >"$CGROUP_RECORD"
  cgroup2_delegate
  cgroup_mkdir "$CGROUP_ROOT"
  cgroup_mkdir "$CGROUP_ROOT/containerd"
  cgroup_mkdir "$CGROUP_ROOT/shims"
}

# The root recorded by up, if any (and only if it still looks like one of ours).
recorded_cgroup_root() {
  local root
  root="$(cat "$CGROUP_RECORD" 2>/dev/null)" || return 1
  valid_cgroup_root "$root" || { log "ignoring $CGROUP_RECORD: '$root' is not a cgroup root ci/cluster makes"; return 1; }
  printf '%s\n' "$root"
}

# Pids of every process in the subtree, in any hierarchy.
cgroup_pids() { # cgroup_pids /PATH
  local d; for d in $(cgroup_dirs "$1"); do find "$d" -name cgroup.procs -exec cat {} + 2>/dev/null; done | sort -un
}

# Kills every process in the recorded root, then removes its cgroups in every hierarchy.
cgroup_root_remove() {
  local root pids pid i d
  root="$(recorded_cgroup_root)" || return 0
  for ((i = 0; i < 40; i++)); do
    pids="$(cgroup_pids "$root")"
    [ -z "$pids" ] && break
    [ "$i" -eq 0 ] && log "killing what is left in cgroup $root: $(echo $pids)"
    for pid in $pids; do
      # checked again just before the kill: pids are reused, and pid_max can be as low as 32768
      grep -qE "^[0-9]+:[^:]*:${root//./\\.}(/|\$)" "/proc/$pid/cgroup" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
    done
    sleep 0.25
  done
  [ -z "$pids" ] || log "still in cgroup $root after SIGKILL: $(echo $pids)"
  for d in $(cgroup_dirs "$root"); do
    find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || log "could not remove cgroup $d"
  done
  [ -z "$(cgroup_dirs "$root")" ] && rm -f "$CGROUP_RECORD"
  return 0
}
