#!/bin/sh
# Records the agent image's AppCDS archive with the image's own JRE and jars, at the paths the image has them: about
# 0.3 s less start-up per run. Called by Maven (agents/image, profile "images") after make-runtime.sh.
# usage: make-cds-archive.sh RUNTIME_DIR APP_JAR TRAIN_CDS   -> RUNTIME_DIR/opt/app/NAME.jsa
#   TRAIN_CDS: agents/image/src/image/train-cds.sh (usage: ARCHIVE JAR JAVA [JVM_OPTION...])
#
# A CDS archive is only used by the JVM it was made with and only for jars with the recorded path, size and mtime.
# So the training runs the image's own JRE (RUNTIME_DIR/opt/jre) and copies of the jars, in a private mount
# namespace where they sit at /opt/jre and /opt/app as in the image, with the mtime Jib gives every file (1 s after
# the epoch).
set -eu
RUNTIME=$(cd "$1" && pwd); JAR=$(readlink -f "$2"); TRAIN=$(readlink -f "$3")
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
"$TRAIN" "$STAGE/out/$NAME.jsa" /opt/app/$NAME.jar /opt/jre/bin/java @/opt/app/jvm.options
INSIDE
if [ "$(id -u)" -eq 0 ]; then
  unshare --mount --propagation private sh "$STAGE/train-inside.sh"
else
  unshare --mount --map-root-user --propagation private sh "$STAGE/train-inside.sh"
fi
cp "$STAGE/out/$NAME.jsa" "$RUNTIME/opt/app/$NAME.jsa"
chmod 0644 "$RUNTIME/opt/app/$NAME.jsa"
echo "make-cds-archive.sh: $RUNTIME/opt/app/$NAME.jsa ($(du -k "$RUNTIME/opt/app/$NAME.jsa" | cut -f1) KiB)"
