#!/bin/sh
# The download role's part of the agent image's CDS training (../train-cds.sh).
# usage: download.sh COMMAND...   (the java command up to and including "-jar agent.jar download")
# Fetches a local file (sha256 checked), a zip and a tar.gz (unpacked), and tries http://, gs:// and root://
# sources that refuse the connection, so the classes of every scheme's set-up path are archived. The run exits 1
# (those three inputs fail, as intended); the class list is written all the same.
set -eu
work=$(mktemp -d "${TMPDIR:-/tmp}/datapass-cds-training.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
head -c 300000 /dev/urandom >data.bin
mkdir -p tree/sub && head -c 5000 /dev/urandom >tree/sub/a.bin && echo hello >tree/b.txt
(cd tree && jar --create --file ../tree.zip --no-manifest sub b.txt)
tar czf tree.tar.gz tree
cat >manifest.yaml <<YAML
parallel: 1
retries: 0
inputs:
  - source: $work/data.bin
    checksum: sha256:$(sha256sum data.bin | cut -d' ' -f1)
  - source: $work/tree.zip
    target: zip/
    unpack: true
  - source: $work/tree.tar.gz
    target: tgz/
    unpack: true
  - source: http://127.0.0.1:9/refused-http.bin
  - source: gs://datapass-training/refused-gs.bin
  - source: root://127.0.0.1:9//refused-root.bin
YAML
status=0
"$@" --manifest manifest.yaml --dest "$work/out" --ready-file "$work/out/ready" \
  --gcs-endpoint http://127.0.0.1:9 >/dev/null 2>"$work/log" || status=$?
if [ "$status" -ne 1 ] || [ ! -f "$work/out/data.bin" ] || [ ! -f "$work/out/zip/sub/a.bin" ]; then
  echo "download.sh: the training run did not go as expected (exit $status):" >&2
  tail -n 20 "$work/log" >&2
  exit 1
fi
