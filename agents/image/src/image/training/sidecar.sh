#!/bin/sh
# The sidecar role's part of the agent image's CDS training (../train-cds.sh).
# usage: sidecar.sh COMMAND...   (the java command up to and including "-jar agent.jar sidecar")
# Runs the sidecar over a small /workdir with a file input: this script plays the payload's wrapper (started,
# state, an output, done), so the watch, state machine, probe server and verified upload to a mounted path are
# archived. The run exits 0 once DONE is reported (--exit-on-done).
set -eu
work=$(mktemp -d "${TMPDIR:-/tmp}/datapass-cds-training.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/workdir" "$work/store" "$work/results"
echo calibration >"$work/store/calib.txt"
printf 'inputs:\n  - source: %s/store/calib.txt\n' "$work" >"$work/manifest.yaml"
status=0
"$@" --workdir "$work/workdir" --manifest "$work/manifest.yaml" --upload-to "$work/results/" --job training \
  --port 0 --exit-on-done >/dev/null 2>"$work/log" &
sidecar=$!
i=0
while [ ! -f "$work/workdir/ready" ] && [ "$i" -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
mkdir -p "$work/workdir/output"
touch "$work/workdir/started"
echo RUNNING >"$work/workdir/state"
sleep 0.3
echo "result" >"$work/workdir/output/result.txt"
echo 0 >"$work/workdir/done.tmp" && mv "$work/workdir/done.tmp" "$work/workdir/done"
wait "$sidecar" || status=$?
if [ "$status" -ne 0 ] || [ -z "$(find "$work/results" -name result.txt)" ]; then
  echo "sidecar.sh: the training run did not go as expected (exit $status):" >&2
  tail -n 20 "$work/log" >&2
  exit 1
fi
