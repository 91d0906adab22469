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
