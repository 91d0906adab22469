# Sourced by ci/cluster: builds Kubernetes, etcd, helm and the pause image from the Go module proxy
# and Debian packages into $K8S_DIR (= $DATAPASS_CACHE/k8s/$K8S_VERSION). Skips what is present.
# Needs: common.sh (log, die, ensure_debian_packages) and cluster/image.sh sourced, K8S_VERSION, ETCD_VERSION,
# HELM_VERSION, PAUSE_IMAGE, K8S_DIR set.

k8s_go_env() {
  export GOMODCACHE="$DATAPASS_CACHE/k8s/go/mod" GOCACHE="$DATAPASS_CACHE/k8s/go/cache"
  # sum.golang.org is not reachable here; the module proxy is trusted (set GOSUMDB to check sums elsewhere).
  export CGO_ENABLED=0 GOSUMDB="${GOSUMDB:-off}" GOTOOLCHAIN=local GOFLAGS="-mod=mod -p=${CLUSTER_BUILD_JOBS:-2} -buildvcs=false"
}

# go build with low priority; $1 = module dir, rest = go build args.
nice_go_build() {
  local dir=$1; shift
  (cd "$dir" && nice -n 19 go build -trimpath "$@")
}

# Prints the path of the go.mod the proxy serves for module@version $1.
proxy_go_mod() {
  local tmp; tmp="$(mktemp -d)"
  (cd "$tmp" && go mod download -json "$1" | sed -n 's/^\t"GoMod": "\(.*\)",$/\1/p'); rmdir "$tmp"
}

# Wrapper module in $1: requires k8s.io/kubernetes $K8S_VERSION and replaces each staging module
# (k8s.io/X => ./staging/src/k8s.io/X in the upstream go.mod) by its published k8s.io/X v0.<minor>.<patch>.
k8s_wrapper_module() {
  local dir=$1 staging_version="v0.${K8S_VERSION#v1.}" upstream
  upstream="$(proxy_go_mod "k8s.io/kubernetes@$K8S_VERSION")"
  [ -f "$upstream" ] || die "could not download the go.mod of k8s.io/kubernetes@$K8S_VERSION"
  mkdir -p "$dir"
  {
    printf 'module datapass.local/k8s-build\n\ngo 1.24.0\n\ngodebug default=go1.24\n\nrequire k8s.io/kubernetes %s\n\n' "$K8S_VERSION"
    sed -n 's#^\t\(k8s.io/[^ ]*\) => ./staging/src/k8s.io/.*#replace \1 => \1 '"$staging_version"'#p' "$upstream"
  } >"$dir/go.mod"
  grep -q '^replace k8s.io/api ' "$dir/go.mod" || die "no staging replaces found in $upstream"
  printf 'package main\n' >"$dir/doc.go"   # the module needs one package of its own
}

# The version variables hack/lib/version.sh sets. The proxy does not tell the git commit, so gitCommit stays empty.
k8s_ldflags() {
  local minor=${K8S_VERSION#v1.}; minor=${minor%%.*}
  local flags="-s -w" pkg kv
  for pkg in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
    for kv in "gitVersion=$K8S_VERSION" gitMajor=1 "gitMinor=$minor" gitTreeState=clean \
              "buildDate=$(date -u -d "@${SOURCE_DATE_EPOCH:-$(date +%s)}" +%Y-%m-%dT%H:%M:%SZ)"; do
      flags+=" -X $pkg.$kv"
    done
  done
  printf '%s' "$flags"
}

build_kubernetes() {
  local bins=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl) missing=() b
  for b in "${bins[@]}"; do [ -x "$K8S_DIR/bin/$b" ] || missing+=("$b"); done
  [ ${#missing[@]} -eq 0 ] && { log "kubernetes $K8S_VERSION: cached"; return 0; }
  log "building kubernetes $K8S_VERSION: ${missing[*]} (nice 19, $GOFLAGS)"
  k8s_wrapper_module "$K8S_DIR/src/k8s"
  local pkgs=(); for b in "${missing[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$b"); done
  mkdir -p "$K8S_DIR/bin.tmp"
  nice_go_build "$K8S_DIR/src/k8s" -ldflags "$(k8s_ldflags)" -o "$K8S_DIR/bin.tmp/" "${pkgs[@]}"
  mkdir -p "$K8S_DIR/bin"; for b in "${missing[@]}"; do mv "$K8S_DIR/bin.tmp/$b" "$K8S_DIR/bin/$b"; done
  rmdir "$K8S_DIR/bin.tmp"
}

build_etcd() {
  [ -x "$K8S_DIR/bin/etcd" ] && { log "etcd $ETCD_VERSION: cached"; return 0; }
  log "building etcd $ETCD_VERSION"
  local dir="$K8S_DIR/src/etcd"; mkdir -p "$dir"
  printf 'module datapass.local/etcd-build\n\ngo 1.24.0\n\nrequire go.etcd.io/etcd/server/v3 %s\n' "$ETCD_VERSION" >"$dir/go.mod"
  cat >"$dir/main.go" <<'GO'
// etcd, built from the published go.etcd.io/etcd/server/v3 module.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
  nice_go_build "$dir" -ldflags "-s -w" -o "$dir/etcd.tmp" . && mv "$dir/etcd.tmp" "$K8S_DIR/bin/etcd"
}

build_helm() {
  [ -x "$K8S_DIR/bin/helm" ] && { log "helm $HELM_VERSION: cached"; return 0; }
  log "building helm $HELM_VERSION"
  local dir="$K8S_DIR/src/helm"; mkdir -p "$dir"
  printf 'module datapass.local/helm-build\n\ngo 1.24.0\n\nrequire helm.sh/helm/v3 %s\n' "$HELM_VERSION" >"$dir/go.mod"
  printf 'package main\n' >"$dir/doc.go"
  local minor=${K8S_VERSION#v1.}; minor=${minor%%.*}
  nice_go_build "$dir" -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION \
      -X helm.sh/helm/v3/internal/version.gitTreeState=clean \
      -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$minor \
      -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$minor" \
    -o "$dir/helm.tmp" helm.sh/helm/v3/cmd/helm && mv "$dir/helm.tmp" "$K8S_DIR/bin/helm"
}

# A static pause binary (sleeps until SIGTERM/SIGINT, reaps children) as an image tarball named $PAUSE_IMAGE.
build_pause_image() {
  local out="$K8S_DIR/images/pause.tar"
  [ -f "$out" ] && { log "pause image: cached"; return 0; }
  ensure_debian_packages gcc libc6-dev umoci skopeo
  log "building the pause image $PAUSE_IMAGE"
  local tmp; tmp="$(mktemp -d)"
  cat >"$tmp/pause.c" <<'C'
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
static void stop(int sig) { (void)sig; _exit(0); }
static void reap(int sig) { (void)sig; while (waitpid(-1, 0, WNOHANG) > 0) {} }
int main(void) {
  struct sigaction s = {0}, r = {0};
  s.sa_handler = stop; sigaction(SIGINT, &s, 0); sigaction(SIGTERM, &s, 0);
  r.sa_handler = reap; r.sa_flags = SA_NOCLDSTOP | SA_RESTART; sigaction(SIGCHLD, &r, 0);
  for (;;) pause();
}
C
  mkdir -p "$tmp/rootfs"
  gcc -static -Os -s -o "$tmp/rootfs/pause" "$tmp/pause.c"
  mkdir -p "$K8S_DIR/images"
  rootfs_to_image "$tmp/rootfs" "$PAUSE_IMAGE" "$out.tmp" --config.entrypoint=/pause --config.user=65535:65535
  mv "$out.tmp" "$out"; rm -rf "$tmp"
}

cluster_build() {
  command -v go >/dev/null || die "go is needed (golang-go from Debian is too old for Kubernetes 1.34; use go >= 1.24)"
  k8s_go_env
  mkdir -p "$K8S_DIR/bin"
  build_pause_image
  build_kubernetes
  build_etcd
  build_helm
  log "binaries in $K8S_DIR/bin: $(ls "$K8S_DIR/bin" | tr '\n' ' ')"
}
