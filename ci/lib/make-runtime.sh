#!/bin/sh
# Builds the root filesystem of an agent image: a jlink'd JRE with only the modules the agent needs, a CDS archive,
# and the few glibc/zlib/libstdc++ files the JRE loads (found with ldd). Called by Maven (profile "images").
# usage: make-runtime.sh OUTDIR MODULES   -> OUTDIR/{opt/jre,lib,lib64,tmp}
set -eu
OUT=$1; MODULES=$2
JDK=${JDK_FOR_JLINK:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}
rm -rf "$OUT"; mkdir -p "$OUT/opt" "$OUT/tmp"
"$JDK/bin/jlink" --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages \
  --strip-native-debug-symbols=exclude-debuginfo-files --output "$OUT/opt/jre"
"$OUT/opt/jre/bin/java" -Xshare:dump -Xlog:cds=off >/dev/null   # the default CDS archive (JDK 17 jlink can't)
find "$OUT/opt/jre" -type f \( -name '*.so' -o -path '*/bin/*' \) | while read -r f; do
  ldd "$f" 2>/dev/null | awk '/=> \//{print $3} /^[ \t]*\/lib64\//{print $1}'
done | grep -v "^$OUT/" | sort -u | while read -r lib; do
  mkdir -p "$OUT$(dirname "$lib")"; cp -L "$lib" "$OUT$lib"
done
