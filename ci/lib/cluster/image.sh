# Sourced: turns a root filesystem directory into a docker-archive image tarball with umoci + skopeo (no daemon).
# rootfs_to_image ROOTFS NAME:TAG OUT.tar [umoci config flags...]
rootfs_to_image() {
  local rootfs=$1 ref=$2 out=$3; shift 3
  local tmp; tmp="$(mktemp -d)"
  umoci init --layout "$tmp/oci"
  umoci new --image "$tmp/oci:img"
  umoci unpack --image "$tmp/oci:img" "$tmp/bundle" >/dev/null
  cp -a "$rootfs/." "$tmp/bundle/rootfs/"
  umoci repack --image "$tmp/oci:img" "$tmp/bundle"
  umoci config --image "$tmp/oci:img" --architecture=amd64 --os=linux "$@"
  rm -f "$out"
  skopeo copy -q "oci:$tmp/oci:img" "docker-archive:$out:$ref"
  rm -rf "$tmp"
}
