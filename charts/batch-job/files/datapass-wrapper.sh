#!/usr/bin/env bash
# datapass payload wrapper: runs the payload command given as arguments under the /workdir protocol, e.g.
#   bash datapass-wrapper.sh bash -lc 'analyse --in /workdir/input --out /workdir/output'
#
# - removes a previous run's done, creates started, writes RUNNING to state (not with DATAPASS_PAYLOAD_WRITES_STATE=1,
#   for a payload that writes its own states; the payload's later values are never overwritten);
# - copies the payload's stdout and stderr into output/log and output/error while still streaming them to the
#   container log;
# - with DATAPASS_HEALTHY_INTERVAL=SECONDS, re-creates healthy every SECONDS while the payload lives;
# - forwards SIGTERM and SIGINT to the payload's process group;
# - writes done with the payload's exit code (to a temporary name, then renamed) and exits with that code.
# If the container is OOM-killed, this script dies with the payload and writes nothing: the sidecar learns that end
# from its own SIGTERM. DATAPASS_WORKDIR overrides /workdir.
set -u

if [ "$#" -eq 0 ]; then
  echo "datapass-wrapper: usage: datapass-wrapper.sh COMMAND [ARGUMENT...]" >&2
  exit 2
fi

# Trapped first, before the payload exists: as a container's PID 1 the wrapper would otherwise ignore a SIGTERM.
payload=
interrupted=0
forward() {
  interrupted=1
  [ -n "$payload" ] || return 0
  kill -TERM -- "-$payload" 2> /dev/null || kill -TERM "$payload" 2> /dev/null
}
trap forward TERM INT

workdir="${DATAPASS_WORKDIR:-/workdir}"
output="$workdir/output"

# Writes one line to a temporary name and renames it, so a reader never sees a half-written file.
write_atomically() {
  printf '%s\n' "$2" > "$1.tmp-$$" && mv -f "$1.tmp-$$" "$1"
}

mkdir -p "$output" || exit 1
# FIFOs live in the workdir: the root filesystem may be read-only, and /tmp may not exist. A directory of their own
# for each run: an OOM kill leaves the last run's behind (a few empty FIFOs), and as a container's PID 1 the wrapper's
# $$ is the same every time.
pipes=
for _ in 1 2 3 4 5; do
  pipes="$workdir/.wrapper-$$-$RANDOM$RANDOM"
  mkdir "$pipes" 2> /dev/null && break
  pipes=
done
if [ -z "$pipes" ]; then
  echo "datapass-wrapper: cannot create a directory for the output pipes in $workdir" >&2
  exit 1
fi
rm -f "$workdir/done"
: > "$workdir/started" || exit 1
if [ "${DATAPASS_PAYLOAD_WRITES_STATE:-0}" != 1 ]; then
  write_atomically "$workdir/state" RUNNING
fi

mkfifo "$pipes/out" "$pipes/err" || exit 1
tee -a "$output/log" < "$pipes/out" &
tee_out=$!
tee -a "$output/error" < "$pipes/err" >&2 &
tee_err=$!

# Monitor mode for one fork only: the payload gets its own process group, so a forwarded signal reaches every
# process it started; turned off at once so that bash prints no job notices into the container log.
set -m
"$@" > "$pipes/out" 2> "$pipes/err" &
payload=$!
set +m
if [ "$interrupted" = 1 ]; then
  forward # the signal came before the payload existed
fi

healthy_loop=
case "${DATAPASS_HEALTHY_INTERVAL:-}" in
  '' | 0) ;;
  *[!0-9]*)
    echo "datapass-wrapper: DATAPASS_HEALTHY_INTERVAL must be whole seconds, got '$DATAPASS_HEALTHY_INTERVAL'" >&2
    ;;
  *)
    (
      trap - TERM INT
      while kill -0 "$payload" 2> /dev/null; do
        : > "$workdir/healthy"
        sleep "$DATAPASS_HEALTHY_INTERVAL"
      done
    ) &
    healthy_loop=$!
    ;;
esac

# A trapped signal ends `wait` early with 128+signal: wait again for the payload's own exit status.
while :; do
  interrupted=0
  wait "$payload"
  code=$?
  [ "$interrupted" = 1 ] || break
done

# Whatever the payload left running in its group would hold the pipes open; the container would end it anyway.
kill -TERM -- "-$payload" 2> /dev/null
wait "$tee_out" "$tee_err"
if [ -n "$healthy_loop" ]; then
  kill "$healthy_loop" 2> /dev/null
  wait "$healthy_loop" 2> /dev/null
fi
rm -rf "$pipes"
write_atomically "$workdir/done" "$code"
exit "$code"
