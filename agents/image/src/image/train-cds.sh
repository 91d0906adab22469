#!/bin/sh
# Records the agent image's AppCDS archive from every role's training (training/ROLE.sh), so each role's JVM maps
# pre-parsed, pre-verified classes instead of loading them from the jars. Run by ci/lib/make-cds-archive.sh with the
# image's JRE and paths, and by the benchmarks.
# usage: train-cds.sh ARCHIVE JAR JAVA [JVM_OPTION...]   -> ARCHIVE, checked to map (-Xshare:on) for every role
#
# A JDK 17 dynamic archive records one JVM, and each role runs in a JVM of its own; so each training writes the list
# of classes it loaded, and one static dump archives them all, the JDK's included (the JRE needs no default archive).
set -eu
ARCHIVE=$1; JAR=$2; shift 2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/datapass-cds.XXXXXX")
trap 'rm -rf "$work"' EXIT
roles=""
for training in "$here"/training/*.sh; do
  role=$(basename "$training" .sh)
  roles="$roles $role"
  "$training" "$@" -XX:DumpLoadedClassList="$work/$role.classlist" -jar "$JAR" "$role"
done
# Each list numbers its classes from 0: without the numbers the lists merge (first line kept). Classes of other
# class loaders ("source:" lines) cannot be archived from a list.
cat "$work"/*.classlist | grep -v ' source: ' | sed 's/ id: [0-9]*$//' | awk '!seen[$0]++' >"$work/all.classlist"
if ! "$@" -Xshare:dump -XX:SharedClassListFile="$work/all.classlist" -XX:SharedArchiveFile="$ARCHIVE" -cp "$JAR" \
    >"$work/dump.log" 2>&1; then
  echo "train-cds.sh: the dump failed:" >&2
  tail -n 20 "$work/dump.log" >&2
  exit 1
fi
for role in $roles; do
  "$@" -Xshare:on -XX:SharedArchiveFile="$ARCHIVE" -jar "$JAR" "$role" --help >/dev/null
done
echo "train-cds.sh: $ARCHIVE: $(grep -vc "^@" "$work/all.classlist") classes from the training of$roles"
