#!/usr/bin/env bash
# What the agent's hooks cost on connections it does not proxy (a benchmark, not a test): connections/s of
# the ConnectBench loop (java.net.Socket connect + 64-byte echo + close to an echo server in the same JVM)
# with no agent, with the agent and nothing reading connections (log=off,summary=off: the hooks only), and
# with the agent's defaults (a log line per connection, here to /dev/null, and the exit summary). Loopback
# is not proxied by default, so every connect runs the hooks and goes direct.
# Usage: agent/bench/hooks.sh [RUNS] [WARMUP] [COUNT]   (after: mvn -B -q -pl agent -am package -DskipTests)
# WARMUP (default 6000) connections run before counting: on 2 cores the JIT is still compiling the hooks'
# and the reporter's paths after the 500 that startup.sh's loop warms with, and that is not the steady state.
# Prints a Markdown table; configurations are interleaved run by run; cells are "best / median".
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${1:-7}
WARMUP=${2:-6000}
COUNT=${3:-3000}
source agent/bench/common.sh
bench_netns agent/bench/hooks.sh "$@"
bench_start
javac --release 17 -d "$WORK" agent/bench/ConnectBench.java

CONFIGS=("" "-javaagent:$JAR=log=off,summary=off" "-javaagent:$JAR")

echo "### Hooks on connections that are not proxied: ConnectBench $WARMUP $COUNT (connections/s)"
echo
echo "best / median of $RUNS interleaved runs ($COUNT connections after $WARMUP warm-up per run), load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| JDK | no agent | hooks only (log=off,summary=off) | ratio (medians) | agent defaults (log line, summary) | ratio (medians) |"
echo "|---|---|---|---|---|---|"
for jdk in "${JDKS[@]}"; do
  java=$jdk/bin/java
  v=$(jdk_version "$java")
  rm -f "$WORK"/*.txt
  for _ in $(seq "$RUNS"); do
    settle # 9,000 connections a JVM: without a pause the ephemeral ports run out in TIME_WAIT
    for i in "${!CONFIGS[@]}"; do
      # shellcheck disable=SC2086
      "$java" ${CONFIGS[$i]} -cp "$WORK" ConnectBench "$WARMUP" "$COUNT" 2>"$WORK/err" >> "$WORK/cps$i.txt" \
        || { echo "ConnectBench failed ($v, ${CONFIGS[$i]:-no agent}):" >&2; head -3 "$WORK/err" >&2; exit 1; }
    done
  done
  base=$(median "$WORK/cps0.txt")
  ratio() { awk -v a="$(median "$1")" -v b="$base" 'BEGIN {printf "%.2f", a / b}'; }
  echo "| $v | $(stats "$WORK/cps0.txt" max) | $(stats "$WORK/cps1.txt" max) | $(ratio "$WORK/cps1.txt") | $(stats "$WORK/cps2.txt" max) | $(ratio "$WORK/cps2.txt") |"
done
