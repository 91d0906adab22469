#!/bin/sh
# The cleanup role's part of the agent image's CDS training (../train-cds.sh).
# usage: cleanup.sh COMMAND...   (the java command up to and including "-jar agent.jar cleanup")
# Zips a small output tree and uploads it to a gs:// endpoint that refuses the connection, so the classes of the
# scan, zip and GCS upload set-up are archived. The run exits 1 (the upload fails, as intended, and nothing is
# removed); the class list is written all the same.
set -eu
work=$(mktemp -d "${TMPDIR:-/tmp}/datapass-cds-training.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/output/logs" "$work/scratch"
head -c 300000 /dev/urandom >"$work/output/events.bin"
echo done >"$work/output/logs/stdout.txt"
status=0
"$@" --job training --output "$work/output" --scratch "$work/scratch" --upload-to gs://datapass-training/out/ \
  --gcs-endpoint http://127.0.0.1:9 --retries 0 --remove "$work/output" >/dev/null 2>"$work/log" || status=$?
if [ "$status" -ne 1 ] || [ ! -f "$work/output/events.bin" ] || ! grep -q "zipped 2 files" "$work/log"; then
  echo "cleanup.sh: the training run did not go as expected (exit $status):" >&2
  tail -n 20 "$work/log" >&2
  exit 1
fi
