#!/bin/sh
# The cleanup role's part of the agent image's CDS training (../train-cds.sh).
# usage: cleanup.sh COMMAND...   (the java command up to and including "-jar agent.jar cleanup")
# Zips a small output tree and uploads it, verified, to a directory standing for a mounted filesystem, with its
# manifest, then removes the outputs: the scan, zip, look for an earlier run's manifest, upload and removal classes
# are archived. (The GCS client's classes come from the download role's training.)
set -eu
work=$(mktemp -d "${TMPDIR:-/tmp}/datapass-cds-training.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/output/logs" "$work/scratch" "$work/results"
head -c 300000 /dev/urandom >"$work/output/events.bin"
echo done >"$work/output/logs/stdout.txt"
status=0
"$@" --job training --output "$work/output" --scratch "$work/scratch" --upload-to "$work/results/" \
  --retries 0 --remove "$work/output" >/dev/null 2>"$work/log" || status=$?
if [ "$status" -ne 0 ] || [ ! -f "$work/results/training-output.zip" ] || [ -f "$work/output/events.bin" ]; then
  echo "cleanup.sh: the training run did not go as expected (exit $status):" >&2
  tail -n 20 "$work/log" >&2
  exit 1
fi
