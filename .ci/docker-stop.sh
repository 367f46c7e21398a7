#!/usr/bin/env bash
# Stops the dockerd that .ci/docker-setup.sh started (its PID is in $SOCKSBRIDGE_CI_DIR/dockerd.pid).
# Does nothing when that script found an engine already running. Bounded: TERM, 30 s, then KILL.
set -uo pipefail

CI_DIR=${SOCKSBRIDGE_CI_DIR:-/tmp/socksbridge-ci}
PID_FILE=$CI_DIR/dockerd.pid

[ -f "$PID_FILE" ] || exit 0
pid=$(cat "$PID_FILE")
rm -f "$PID_FILE"
# Only a live dockerd: the PID may have been reused since.
[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dockerd ] || exit 0

echo "docker-stop: stopping dockerd (pid $pid)" >&2
kill -TERM "$pid"
for _ in $(seq 1 30); do
    kill -0 "$pid" 2>/dev/null || exit 0
    sleep 1
done
echo "docker-stop: dockerd (pid $pid) ignored TERM for 30 s; killing it" >&2
kill -KILL "$pid"
