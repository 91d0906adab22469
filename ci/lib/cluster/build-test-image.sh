#!/usr/bin/env bash
# Builds a busybox-static (+ static bash) test image (no daemon, no registry) as a docker-archive tarball and prints its path.
# usage: ci/lib/cluster/build-test-image.sh [OUT.tar] [NAME:TAG]     (default datapass/busybox:test)
# Load it with: ci/cluster load-image OUT.tar   (pods: image: datapass/busybox:test, imagePullPolicy: IfNotPresent)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/image.sh"

ref="${2:-datapass/busybox:test}"
out="${1:-$DATAPASS_CACHE/images/busybox-test.tar}"
ensure_debian_packages busybox-static bash-static umoci skopeo
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
root="$tmp/rootfs"
mkdir -p "$root"/{bin,etc,tmp,home/user,www} && chmod 1777 "$root/tmp"
cp /bin/busybox "$root/bin/busybox"
for applet in $(/bin/busybox --list); do [ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"; done
cp /bin/bash-static "$root/bin/bash"   # a real bash: payloads run under `bash -lc`, as the seeds' jobs do
printf 'root:x:0:0:root:/root:/bin/sh\nuser:x:65532:65532:user:/home/user:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$root/etc/passwd"
printf 'root:x:0:\nuser:x:65532:\nnogroup:x:65534:\n' >"$root/etc/group"
chown 65532:65532 "$root/home/user"
echo 'hello from datapass/busybox' >"$root/www/index.html"
mkdir -p "$(dirname "$out")"
rootfs_to_image "$root" "$ref" "$out" --config.user=65532:65532 --config.env=PATH=/bin \
  --config.cmd=/bin/sh --config.workingdir=/home/user
log "built $ref -> $out"
printf '%s\n' "$out"
