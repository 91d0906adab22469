#!/bin/sh
# Builds the root filesystem of the agent image: a jlink'd JRE with only the modules the roles need, stripped of
# native symbols, the agents' JVM options file, and the few glibc/zlib/libstdc++ files the JRE loads (found with
# ldd). Called by Maven (agents/image, profile "images"); make-cds-archive.sh adds the image's CDS archive, which
# holds the JDK's classes too, so the JRE gets no default one.
# usage: make-runtime.sh OUTDIR MODULES JVM_OPTIONS   -> OUTDIR/{opt/jre,opt/app/jvm.options,lib,lib64,tmp}
set -eu
OUT=$1; MODULES=$2; JVM_OPTIONS=$3
JDK=${JDK_FOR_JLINK:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}
rm -rf "$OUT"; mkdir -p "$OUT/opt/app" "$OUT/tmp"
cp "$JVM_OPTIONS" "$OUT/opt/app/jvm.options"
"$JDK/bin/jlink" --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages \
  --strip-native-debug-symbols=exclude-debuginfo-files --output "$OUT/opt/jre"
# jlink keeps the symbol tables: stripping them takes 1.2 MiB off the compressed image (libjvm.so is most of it).
if command -v strip >/dev/null; then
  find "$OUT/opt/jre" -type f -name '*.so' -exec strip --strip-unneeded {} +
else
  echo "make-runtime.sh: no strip (binutils) here; the JRE keeps its symbol tables" >&2
fi
find "$OUT/opt/jre" -type f \( -name '*.so' -o -path '*/bin/*' \) | while read -r f; do
  ldd "$f" 2>/dev/null | awk '/=> \//{print $3} /^[ \t]*\/lib64\//{print $1}'
done | grep -v "^$OUT/" | sort -u | while read -r lib; do
  mkdir -p "$OUT$(dirname "$lib")"; cp -L "$lib" "$OUT$lib"
done
