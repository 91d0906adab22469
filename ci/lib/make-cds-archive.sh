#!/bin/sh
# Records an agent's AppCDS archive (JDK 17 dynamic archive) for its image, so the JVM maps pre-parsed, pre-verified
# classes instead of loading them from the jars: about 0.3 s less start-up per run. Called by Maven (profile
# "images") after make-runtime.sh.
# usage: make-cds-archive.sh RUNTIME_DIR APP_JAR TRAINING_SCRIPT   -> RUNTIME_DIR/opt/app/NAME.jsa
#
# A CDS archive is only used by the JVM it was made with and only for jars with the recorded path, size and mtime.
# So the training runs the image's own JRE (RUNTIME_DIR/opt/jre) and copies of the jars, in a private mount
# namespace where they sit at /opt/jre and /opt/app as in the image, with the mtime Jib gives every file (1 s after
# the epoch). It then checks the archive maps (-Xshare:on) before handing it over.
set -eu
RUNTIME=$(cd "$1" && pwd); JAR=$(readlink -f "$2"); TRAINING=$(readlink -f "$3")
NAME=$(basename "$JAR" .jar)
OPTIONS="$RUNTIME/opt/app/jvm.options"
[ -x "$RUNTIME/opt/jre/bin/java" ] && [ -f "$OPTIONS" ] || { echo "make-cds-archive.sh: run make-runtime.sh first" >&2; exit 2; }

STAGE=$(mktemp -d "${TMPDIR:-/tmp}/datapass-cds.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT
mkdir -p "$STAGE/app" "$STAGE/out"
cp "$JAR" "$OPTIONS" "$STAGE/app/"
cp -r "$(dirname "$JAR")/lib" "$STAGE/app/lib"
find "$STAGE/app" -exec touch -h -d @1 {} +

# In the namespace: a tmpfs over /opt (hiding, for this process tree only, whatever the host has there) holding
# the image's two directories.
cat >"$STAGE/train-inside.sh" <<INSIDE
set -eu
mount -t tmpfs datapass-cds /opt
mkdir /opt/jre /opt/app
mount --bind "$RUNTIME/opt/jre" /opt/jre
mount --bind "$STAGE/app" /opt/app
"$TRAINING" /opt/jre/bin/java @/opt/app/jvm.options -XX:ArchiveClassesAtExit="$STAGE/out/$NAME.jsa" -jar /opt/app/$NAME.jar
cp "$STAGE/out/$NAME.jsa" /opt/app/$NAME.jsa
/opt/jre/bin/java @/opt/app/jvm.options -Xshare:on -XX:SharedArchiveFile=/opt/app/$NAME.jsa -jar /opt/app/$NAME.jar --help >/dev/null
INSIDE
if [ "$(id -u)" -eq 0 ]; then
  unshare --mount --propagation private sh "$STAGE/train-inside.sh"
else
  unshare --mount --map-root-user --propagation private sh "$STAGE/train-inside.sh"
fi
cp "$STAGE/out/$NAME.jsa" "$RUNTIME/opt/app/$NAME.jsa"
chmod 0644 "$RUNTIME/opt/app/$NAME.jsa"
echo "make-cds-archive.sh: $RUNTIME/opt/app/$NAME.jsa ($(du -k "$RUNTIME/opt/app/$NAME.jsa" | cut -f1) KiB)"
