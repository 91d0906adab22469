# Helpers for bench/download. Source it, don't run it; needs ci/lib/common.sh (log, die) first.

# Prints a TCP port nobody listens on at 127.0.0.1 (a race is possible; the caller checks the server came up).
free_port() {
  local port tries=0
  while :; do
    port=$((20000 + RANDOM % 40000))
    ss -Hltn "sport = :$port" 2>/dev/null | grep -q . || { printf '%s\n' "$port"; return 0; }
    tries=$((tries + 1))
    [ "$tries" -lt 50 ] || die "no free port found"
  done
}

# Waits until URL answers (any HTTP status) or the process PID is gone; dies after SECONDS (default 30).
wait_for_http() {
  local url="$1" pid="$2" seconds="${3:-30}" i
  for ((i = 0; i < seconds * 10; i++)); do
    curl -s -o /dev/null --max-time 1 "$url" && return 0
    kill -0 "$pid" 2>/dev/null || die "server for $url exited during startup"
    sleep 0.1
  done
  die "server for $url did not answer within ${seconds}s"
}

# Median of the numbers on stdin, one per line.
median() {
  sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print "nan"; exit }
    if (NR % 2) printf "%.3f\n", v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# Largest of the numbers on stdin.
maximum() {
  sort -g | tail -n 1
}

# Nanoseconds since the epoch.
now_ns() {
  date +%s%N
}

# Before a timed run: flush the previous run's written data to disk and pause BENCH_SETTLE_SECONDS, so one run's
# writeback does not land in the next one's time. BENCH_SETTLE_SECONDS=0: neither.
settle() {
  [ "${BENCH_SETTLE_SECONDS:-1}" != 0 ] || return 0
  sync
  sleep "${BENCH_SETTLE_SECONDS:-1}"
}

# Sets JVM_OPTS (array) and JVM_OPTS_TEXT: DOWNLOADER_JVM_OPTS when set, else the flags every agent image runs with
# (agents/jvm.options, passed as the same @argfile).
load_jvm_opts() {
  if [ -n "${DOWNLOADER_JVM_OPTS+set}" ]; then
    read -r -a JVM_OPTS <<<"$DOWNLOADER_JVM_OPTS"
    JVM_OPTS_TEXT="${DOWNLOADER_JVM_OPTS:-(none)}"
  else
    JVM_OPTS=("@$DATAPASS_ROOT/agents/jvm.options")
    JVM_OPTS_TEXT="$(grep -v '^#' "$DATAPASS_ROOT/agents/jvm.options" | tr '\n' ' ')(agents/jvm.options)"
  fi
}

# snapshot_agent ROLE DIR VAR: copies the agent image's jar (agents/image/target/agent.jar) and its lib/ into DIR,
# so a rebuild during the benchmark cannot pull classes from under a running JVM, and records its CDS archive there
# as the image build does (agents/image/src/image/train-cds.sh: every role's training) unless BENCH_CDS=0; a second
# role in the same DIR reuses both. Sets the array named VAR: the command up to and including "-jar DIR/agent.jar
# ROLE". Needs JVM_OPTS (load_jvm_opts) and JAVA.
snapshot_agent() {
  local role="$1" dir="$2"
  local -n command_of="$3"
  local jar="$DATAPASS_ROOT/agents/image/target/agent.jar"
  if [ ! -f "$dir/agent.jar" ]; then
    if [ ! -f "$jar" ] || [ ! -d "$(dirname "$jar")/lib" ]; then
      log "building the agents ($jar or its lib/ is missing)"
      (cd "$DATAPASS_ROOT" && mvn -B -q -DskipTests package -pl agents/image -am)
      [ -f "$jar" ] || die "the build did not produce $jar"
    fi
    if [ -n "$(find "$DATAPASS_ROOT/agents" -path '*/src/main/*' -newer "$jar" -print -quit 2>/dev/null)" ]; then
      log "warning: sources under agents/ are newer than $jar; the benchmark measures the jar as built"
    fi
    mkdir -p "$dir"
    cp -r "$jar" "$(dirname "$jar")/lib" "$dir/" || die "cannot copy $jar and its lib/ (a build running?)"
    if [ "${BENCH_CDS:-1}" != 0 ]; then
      "$DATAPASS_ROOT/agents/image/src/image/train-cds.sh" "$dir/agent.jsa" "$dir/agent.jar" "$JAVA" "${JVM_OPTS[@]}" \
        >/dev/null || die "recording the CDS archive failed"
    fi
  fi
  command_of=("$JAVA" "${JVM_OPTS[@]}")
  [ "${BENCH_CDS:-1}" = 0 ] || command_of+=(-XX:SharedArchiveFile="$dir/agent.jsa")
  command_of+=(-jar "$dir/agent.jar" "$role")
  "${command_of[@]}" --help >/dev/null || die "the $role snapshot does not start (copied during a build?)"
}
