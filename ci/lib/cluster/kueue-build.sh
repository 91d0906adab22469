# Sourced by ci/cluster: builds Kueue's controller manager from the Go module proxy and packs it as an image, into
# $KUEUE_DIR (= $DATAPASS_CACHE/kueue/$KUEUE_VERSION). Skips what is present.
# Needs: common.sh, cluster/image.sh and cluster/build.sh sourced (k8s_go_env, nice_go_build), KUEUE_VERSION,
# KUEUE_DIR, KUEUE_IMAGE set.

# The binary: sigs.k8s.io/kueue/cmd/kueue through a wrapper module (no replaces upstream, so its go.mod is the
# whole build list), with the version variables Kueue's Makefile sets. The proxy does not tell the commit.
build_kueue_binary() {
  [ -x "$KUEUE_DIR/bin/kueue" ] && { log "kueue $KUEUE_VERSION: cached"; return 0; }
  log "building kueue $KUEUE_VERSION (nice 19, $GOFLAGS; cold: 5 to 13 minutes on 2 cores)"
  local dir="$KUEUE_DIR/src" t0=$SECONDS
  mkdir -p "$dir" "$KUEUE_DIR/bin"
  printf 'module datapass.local/kueue-build\n\ngo 1.25.0\n\nrequire sigs.k8s.io/kueue %s\n' "$KUEUE_VERSION" >"$dir/go.mod"
  printf 'package main\n' >"$dir/doc.go"
  nice_go_build "$dir" -ldflags "-s -w -X sigs.k8s.io/kueue/pkg/version.GitVersion=$KUEUE_VERSION \
      -X sigs.k8s.io/kueue/pkg/version.GitCommit= \
      -X sigs.k8s.io/kueue/pkg/version.BuildDate=$(date -u -d "@${SOURCE_DATE_EPOCH:-$(date +%s)}" +%Y-%m-%dT%H:%M:%SZ)" \
    -o "$dir/kueue.tmp" sigs.k8s.io/kueue/cmd/kueue && mv "$dir/kueue.tmp" "$KUEUE_DIR/bin/kueue"
  log "kueue $KUEUE_VERSION built in $((SECONDS - t0))s"
}

# Prints the module's directory in the module cache (its config/: CRDs, RBAC, webhook manifests).
kueue_module_dir() {
  local tmp dir; tmp="$(mktemp -d)"
  dir="$(cd "$tmp" && go mod download -json "sigs.k8s.io/kueue@$KUEUE_VERSION" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
  rmdir "$tmp"
  [ -d "$dir/config/components/crd/bases" ] || die "no config/components/crd/bases in sigs.k8s.io/kueue@$KUEUE_VERSION ($dir)"
  printf '%s\n' "$dir"
}

# The image the controller runs from: the static binary alone, as uid 65532 (as upstream's distroless image).
build_kueue_image() {
  local out="$KUEUE_DIR/images/kueue.tar"
  [ -f "$out" ] && { log "kueue image: cached"; return 0; }
  ensure_debian_packages umoci skopeo
  local tmp; tmp="$(mktemp -d)"
  mkdir -p "$tmp/rootfs" "$KUEUE_DIR/images"
  cp "$KUEUE_DIR/bin/kueue" "$tmp/rootfs/manager"
  rootfs_to_image "$tmp/rootfs" "$KUEUE_IMAGE" "$out.tmp" --config.entrypoint=/manager --config.user=65532:65532
  mv "$out.tmp" "$out"; rm -rf "$tmp"
}

kueue_build() {
  command -v go >/dev/null || die "go is needed to build kueue (go >= 1.25)"
  k8s_go_env
  build_kueue_binary
  build_kueue_image
  log "kueue: $KUEUE_DIR/bin/kueue, image $KUEUE_IMAGE in $KUEUE_DIR/images/kueue.tar"
}
