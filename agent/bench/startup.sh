#!/usr/bin/env bash
# Start-up cost and per-connection overhead of the socksbridge agent (a benchmark, not a test).
# Usage: agent/bench/startup.sh [RUNS]   (after: mvn -B -q -pl agent -am package -DskipTests)
# Prints Markdown tables. Configurations are interleaved run by run, so load from other processes on a
# shared machine hits them alike; each cell is "best / median" over RUNS runs (default 15).
# BASELINE_JAR=/other/dir/socksbridge-agent.jar adds that build (e.g. the previous commit's; keep the file
# name, the Boot-Class-Path entry needs it) to the start-up table, with and without its hook cache,
# interleaved with the others;
# STARTUP_ONLY=1 skips the per-connection table.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${1:-15}
source agent/bench/common.sh
bench_start
javac --release 17 -d "$WORK" agent/bench/Hello.java agent/bench/ConnectBench.java

# hook-cache=off: every start rewrites the hooked classes with Byte Buddy, as the first JVM on a machine does.
CONFIGS=("" "-javaagent:$JAR" "-javaagent:$JAR=log=off,summary=off" "-javaagent:$JAR=hook-cache=off")
if [ -n "${BASELINE_JAR:-}" ]; then
  require_built "$BASELINE_JAR"
  CONFIGS+=("-javaagent:$BASELINE_JAR" "-javaagent:$BASELINE_JAR=hook-cache=off")
fi
label() { local l=${1:-no agent}; l=${l/${BASELINE_JAR:-no baseline}/baseline socksbridge-agent.jar}; echo "${l/$JAR/socksbridge-agent.jar}"; }

echo "### Start-up (ms, best / median of $RUNS interleaved runs)"
echo
echo "launch to main: from starting \`java\` to the first line of \`main\` (process start included);"
echo "CPU: user + system time of the whole run, all threads (less sensitive to other load than wall time)."
echo
echo "| JDK | configuration | launch to main | launch to exit | CPU (user+sys) |"
echo "|---|---|---|---|---|"
for jdk in "${JDKS[@]}"; do
  java=$jdk/bin/java
  v=$(jdk_version "$java")
  rm -f "$WORK"/*.txt
  for _ in $(seq "$RUNS"); do
    for i in "${!CONFIGS[@]}"; do
      # shellcheck disable=SC2086
      set -- ${CONFIGS[$i]}
      t0=$(date +%s%3N)
      t1=$(/usr/bin/time -o "$WORK/cpu" -f "%U %S" "$java" "$@" -cp "$WORK" Hello 2>/dev/null)
      t2=$(date +%s%3N)
      echo $((t1 - t0)) >> "$WORK/main$i.txt"
      echo $((t2 - t0)) >> "$WORK/exit$i.txt"
      awk '{printf "%d\n", ($1 + $2) * 1000}' "$WORK/cpu" >> "$WORK/cpu$i.txt"
    done
  done
  for i in "${!CONFIGS[@]}"; do
    echo "| $v | $(label "${CONFIGS[$i]}") | $(stats "$WORK/main$i.txt") | $(stats "$WORK/exit$i.txt") | $(stats "$WORK/cpu$i.txt") |"
  done
done

[ -n "${STARTUP_ONLY:-}" ] && exit 0

CONN=("" "-javaagent:$JAR=log=off,summary=off" "-javaagent:$JAR=include-loopback=true,log=off,summary=off"
      "-javaagent:$JAR=include-loopback=true,summary=off")
echo
echo "### Connect + 64-byte echo + close over loopback (connections/s, best / median of 7 interleaved runs of 2000 after 500 warm-up)"
echo
echo "| JDK | no agent | agent, loopback direct (hooks only) | agent, include-loopback (through the proxy), log=off | same, log line per connection to stderr |"
echo "|---|---|---|---|---|"
for jdk in "${JDKS[@]}"; do
  java=$jdk/bin/java
  v=$(jdk_version "$java")
  rm -f "$WORK"/*.txt
  for _ in 1 2 3 4 5 6 7; do
    for i in "${!CONN[@]}"; do
      # shellcheck disable=SC2086
      "$java" ${CONN[$i]} -cp "$WORK" ConnectBench 500 2000 2>/dev/null >> "$WORK/cps$i.txt"
    done
  done
  row="| $v"
  for i in "${!CONN[@]}"; do row="$row | $(stats "$WORK/cps$i.txt" max)"; done
  echo "$row |"
done
