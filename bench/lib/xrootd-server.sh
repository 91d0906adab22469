# Helpers for bench/xrootd: a standalone XRootD data server on 127.0.0.1 (see docs section 11 of the XRootD
# reference: no authentication, writable export /data, adler32 checksums). Source it after ci/lib/common.sh
# (log, die).

XROOTD_PID=""

# xrootd_server_start DIR PORT: serves DIR/root/data as root://127.0.0.1:PORT//data/ and returns once it accepts
# connections; sets XROOTD_PID (the server runs in the foreground of a background job, so the caller's trap can
# kill it by that id). DIR must be a fresh directory; it is given to user xrootd when running as root (xrootd
# refuses to run as root), so every parent of DIR must be traversable by that user (mode 755 or 711).
xrootd_server_start() {
  local dir="$1" port="$2" xrootd
  xrootd="$(command -v xrootd || echo /usr/bin/xrootd)"
  [ -x "$xrootd" ] || die "xrootd not found (Debian package xrootd-server)"
  mkdir -p "$dir/root/data" "$dir/admin" "$dir/run" "$dir/log" "$dir/etc"
  cat >"$dir/etc/xrootd-bench.cfg" <<CFG
# Standalone XRootD data server for bench/xrootd: loopback clients only, no authentication, writable export.
xrd.port $port
xrd.allow host localhost
oss.localroot $dir/root
all.export /data
all.adminpath $dir/admin
all.pidpath $dir/run
xrootd.chksum adler32
CFG
  local as_user=()
  if [ "$(id -u)" -eq 0 ]; then
    chown -R xrootd:xrootd "$dir"
    as_user=(-R xrootd)
  fi
  "$xrootd" "${as_user[@]}" -c "$dir/etc/xrootd-bench.cfg" -l "$dir/log/xrootd.log" -n bench \
    -s "$dir/run/xrootd.pid" >"$dir/log/stdout.log" 2>&1 &
  XROOTD_PID=$!
  xrootd_server_wait "$port" "$XROOTD_PID" "$dir"
}

# xrootd_server_wait PORT PID DIR [SECONDS]: waits until the server listens on PORT and answers a stat of /data;
# dies (with the end of its log) when it exits or takes longer than SECONDS (default 30).
xrootd_server_wait() {
  local port="$1" pid="$2" dir="$3" seconds="${4:-30}" i
  for ((i = 0; i < seconds * 10; i++)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 20 "$dir/log/bench/xrootd.log" "$dir/log/stdout.log" >&2 2>/dev/null || true
      die "xrootd exited during startup"
    fi
    if ss -Hltn "sport = :$port" 2>/dev/null | grep -q . &&
      xrdfs "127.0.0.1:$port" stat /data >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.1
  done
  tail -n 20 "$dir/log/bench/xrootd.log" >&2 2>/dev/null || true
  die "xrootd on port $port did not answer within ${seconds}s"
}

# xrootd_server_stop: stops the server started by xrootd_server_start (if any) and waits for it.
xrootd_server_stop() {
  [ -n "$XROOTD_PID" ] || return 0
  kill "$XROOTD_PID" 2>/dev/null || true
  wait "$XROOTD_PID" 2>/dev/null || true
  XROOTD_PID=""
}
