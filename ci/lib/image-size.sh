#!/bin/sh
# Prints an image tarball's size as a node pulls it (its gzipped layers, summed) and unpacked.
# usage: image-size.sh TAR   (docker-archive, as JKube/Jib writes it)
set -eu
TAR=$1
tar -tvf "$TAR" | awk '$NF ~ /\.tar\.gz$/ { bytes += $3 } END { printf "%.1f MiB compressed (as pulled), ", bytes / 1048576 }'
tar -tf "$TAR" | grep '\.tar\.gz$' | while read -r layer; do tar -xOf "$TAR" "$layer" | gzip -dc | wc -c; done |
  awk '{ bytes += $1 } END { printf "%.1f MiB unpacked\n", bytes / 1048576 }'
