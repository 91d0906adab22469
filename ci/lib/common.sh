# Shared by the ci/ scripts: paths and small helpers. Source it, don't run it.
# Everything built or downloaded lives outside the repository, keyed by version,
# so a second run on the same machine skips the work.

DATAPASS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DATAPASS_CACHE="${DATAPASS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/datapass}"
FAKE_GCS_SERVER_VERSION="${FAKE_GCS_SERVER_VERSION:-v1.56.1}"

log() { printf '%s [ci] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Installs Debian packages that are missing (apt-get update only when needed).
ensure_debian_packages() {
  local missing=()
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Prints the path of fsouza/fake-gcs-server, building it from the Go module proxy once per version.
ensure_fake_gcs_server() {
  local bin="$DATAPASS_CACHE/fake-gcs-server/$FAKE_GCS_SERVER_VERSION/fake-gcs-server"
  if [ ! -x "$bin" ]; then
    command -v go >/dev/null || die "go is needed to build fake-gcs-server (install golang-go)"
    log "building fake-gcs-server $FAKE_GCS_SERVER_VERSION (cached in $(dirname "$bin"))"
    local tmp; tmp="$(mktemp -d)"
    GOBIN="$tmp" CGO_ENABLED=0 go install "github.com/fsouza/fake-gcs-server@$FAKE_GCS_SERVER_VERSION" >&2
    mkdir -p "$(dirname "$bin")" && mv "$tmp/fake-gcs-server" "$bin" && rmdir "$tmp"
  fi
  printf '%s\n' "$bin"
}

# Prints the project's version (the root pom's).
project_version() {
  python3 -c 'import sys, xml.etree.ElementTree as E
print(E.parse(sys.argv[1]).getroot().findtext("{http://maven.apache.org/POM/4.0.0}version"))' "$DATAPASS_ROOT/pom.xml"
}

# Prints where `mvn -Pimages package` leaves the agent image's tarball (agents/image).
agent_image_tar() {
  printf '%s\n' "$DATAPASS_ROOT/agents/image/target/docker/datapass/agent/$(project_version)/tmp/jib-image.linux-amd64.tar"
}
