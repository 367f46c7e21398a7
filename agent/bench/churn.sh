#!/usr/bin/env bash
# Connection churn through the agent (a benchmark, not a test): ChurnProbeApp opens and closes COUNT NIO
# channels (default 100000; blocking and non-blocking connects alternately) to a loopback server that
# accepts and closes, with and without the agent (include-loopback=true, events to a file), and prints a
# Markdown table: connects done, failures the app saw, seconds, events recorded.
# Usage: agent/bench/churn.sh [COUNT]   (after: mvn -B -q -pl agent -am package -DskipTests)
# Each run leaves up to COUNT TIME_WAIT entries for 60 s; the script waits for them to clear between runs.
set -euo pipefail
cd "$(dirname "$0")/../.."
COUNT=${1:-100000}
LIMIT_SECONDS=120
source agent/bench/common.sh
JAR=$PWD/agent/target/socksbridge-agent.jar
require_built "$JAR"
PROBE=$PWD/agent/target/test-classes
bench_jdks
WORK=$(mktemp -d)
SERVER_PID=
trap '[ -n "$SERVER_PID" ] && kill "$SERVER_PID"; rm -rf "$WORK"' EXIT
javac --release 17 -d "$WORK" agent/bench/ChurnServer.java

time_wait_clear() {
  for _ in $(seq 90); do
    [ "$(ss -tan state time-wait | wc -l)" -lt 1000 ] && return
    sleep 1
  done
}

echo "### Connection churn: $COUNT NIO connect + close in a row (one thread, loopback, at most ${LIMIT_SECONDS} s)"
echo
echo "| JDK | configuration | connects | failures seen by the app | seconds | events recorded |"
echo "|---|---|---|---|---|---|"
for jdk in "${JDKS[@]}"; do
  java=$jdk/bin/java
  v=$(jdk_version "$java")
  rm -f "$WORK/port"
  "$java" -cp "$WORK" ChurnServer > "$WORK/port" &
  SERVER_PID=$!
  while [ ! -s "$WORK/port" ]; do sleep 0.1; done
  port=$(head -1 "$WORK/port")
  for config in "no agent" "agent, include-loopback"; do
    time_wait_clear
    rm -f "$WORK/events.jsonl"
    agent=()
    [ "$config" != "no agent" ] && agent=("-javaagent:$JAR=include-loopback=true,log=off,summary=off,events=$WORK/events.jsonl")
    line=$("$java" "${agent[@]}" -cp "$PROBE" dev.socksbridge.probe.ChurnProbeApp 127.0.0.1 "$port" "$COUNT" "$LIMIT_SECONDS" | grep '^PROBE churn')
    connects=$(sed 's/.*connects=\([0-9]*\).*/\1/' <<< "$line")
    failures=$(sed 's/.*failures=\([0-9]*\).*/\1/' <<< "$line")
    ms=$(sed 's/.*elapsed_ms=\([0-9]*\).*/\1/' <<< "$line")
    events=$([ -f "$WORK/events.jsonl" ] && wc -l < "$WORK/events.jsonl" || echo "-")
    echo "| $v | $config | $connects | $failures | $(awk -v ms="$ms" 'BEGIN {printf "%.1f", ms / 1000}') | $events |"
  done
  kill "$SERVER_PID"
  SERVER_PID=
done
