#!/usr/bin/env bash
# NIO client overhead of the socksbridge agent (a benchmark, not a test): connections/s of a SocketChannel
# connect + 64-byte echo + close loop, and bulk throughput of one SocketChannel, with and without the agent.
# Usage: agent/bench/nio.sh [RUNS] [MIB]   (after: mvn -B -q -pl agent -am package -DskipTests)
# WARMUP (default 300) and COUNT (default 1000) connections per run; a longer warm-up lets the JIT finish
# compiling the proxy's path on 2 cores (the script waits for TIME_WAIT entries to drain between runs).
# Prints a Markdown table; configurations are interleaved run by run; each cell is "best / median".
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${1:-7}
MIB=${2:-512}
WARMUP=${WARMUP:-300}
COUNT=${COUNT:-1000}
source agent/bench/common.sh
bench_netns agent/bench/nio.sh "$@"
bench_start
javac --release 17 -d "$WORK" agent/bench/NioBench.java

CONFIGS=("" "-javaagent:$JAR=log=off,summary=off" "-javaagent:$JAR=include-loopback=true,log=off,summary=off")

echo "### NIO client: SocketChannel connect + 64-byte echo + close (connections/s) and one channel's bulk send of $MIB MiB (MiB/s)"
echo
echo "best / median of $RUNS interleaved runs ($COUNT connections after $WARMUP warm-up per run)"
echo
echo "| JDK | measure | no agent | agent, loopback direct (hooks only) | agent, include-loopback (through the proxy) | proxied / no agent (medians) |"
echo "|---|---|---|---|---|---|"
for jdk in "${JDKS[@]}"; do
  java=$jdk/bin/java
  v=$(jdk_version "$java")
  rm -f "$WORK"/*.txt
  for _ in $(seq "$RUNS"); do
    settle
    for i in "${!CONFIGS[@]}"; do
      # shellcheck disable=SC2086
      "$java" ${CONFIGS[$i]} -cp "$WORK" NioBench "$WARMUP" "$COUNT" "$MIB" 2>/dev/null > "$WORK/out"
      awk '{print $1}' "$WORK/out" >> "$WORK/cps$i.txt"
      awk '{print $2}' "$WORK/out" >> "$WORK/mib$i.txt"
    done
  done
  for m in cps mib; do
    name=$([ $m = cps ] && echo "connections/s" || echo "bulk MiB/s")
    row="| $v | $name"
    for i in "${!CONFIGS[@]}"; do row="$row | $(stats "$WORK/$m$i.txt" max)"; done
    ratio=$(paste <(sort -n "$WORK/${m}0.txt") <(sort -n "$WORK/${m}2.txt") | awk '{a[NR]=$1; b[NR]=$2} END {m=int((NR+1)/2); printf "%.2f", b[m]/a[m]}')
    echo "$row | $ratio |"
  done
done
