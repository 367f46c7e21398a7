#!/usr/bin/env bash
# Start-up cost and per-connection overhead of the socksbridge agent (a benchmark, not a test).
# Usage: agent/bench/startup.sh [RUNS]   (after: mvn -B -q -pl agent -am package -DskipTests)
# Prints Markdown tables; numbers are medians over RUNS runs (default 15).
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${1:-15}
JAR=$PWD/agent/target/socksbridge-agent.jar
[ -f "$JAR" ] || { echo "build the agent first: mvn -B -q -pl agent -am package -DskipTests" >&2; exit 1; }
JDKS=()
for j in /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/temurin-25-jdk-amd64; do
  [ -x "$j/bin/java" ] && JDKS+=("$j")
done
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
javac --release 17 -d "$WORK" agent/bench/Hello.java agent/bench/ConnectBench.java

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# Milliseconds from launching java to the first line of main (process exec included).
start_to_main() {
  local java=$1; shift
  for _ in $(seq "$RUNS"); do
    local t0; t0=$(date +%s%3N)
    local t1; t1=$("$java" "$@" -cp "$WORK" Hello 2>/dev/null)
    echo $((t1 - t0))
  done | median
}

# Milliseconds from launching java until it has exited (includes the agent's shutdown hook).
launch_to_exit() {
  local java=$1; shift
  for _ in $(seq "$RUNS"); do
    local t0; t0=$(date +%s%3N)
    "$java" "$@" -cp "$WORK" Hello >/dev/null 2>&1
    echo $(( $(date +%s%3N) - t0 ))
  done | median
}

# CPU milliseconds (user + system, all threads) of the whole run: less sensitive to other load than wall time.
cpu_ms() {
  local java=$1; shift
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%U %S" "$java" "$@" -cp "$WORK" Hello 2>&1 >/dev/null | tail -1 | awk '{printf "%d\n", ($1 + $2) * 1000}'
  done | median
}

echo "### Start-up (median of $RUNS runs, ms)"
echo
echo "| JDK | configuration | launch to main | launch to exit | CPU (user+sys) |"
echo "|---|---|---|---|---|"
for jdk in "${JDKS[@]}"; do
  java=$jdk/bin/java
  v=$("$java" -version 2>&1 | head -1 | sed 's/.*version "\([^"]*\)".*/\1/')
  for opts in "" "-javaagent:$JAR" "-javaagent:$JAR=log=off,summary=off"; do
    # shellcheck disable=SC2086
    echo "| $v | ${opts:-no agent} | $(start_to_main "$java" $opts) | $(launch_to_exit "$java" $opts) | $(cpu_ms "$java" $opts) |"
  done
done

echo
echo "### Connect + 64-byte echo + close loop over loopback (connections/s, median of 5 runs of 2000 after 500 warm-up)"
echo
echo "| JDK | no agent | agent, loopback direct (hooks only) | agent, include-loopback (through the proxy), log=off | same, log to stderr |"
echo "|---|---|---|---|---|"
cps() {
  local java=$1; shift
  for _ in 1 2 3 4 5; do "$java" "$@" -cp "$WORK" ConnectBench 500 2000 2>/dev/null; done | median
}
for jdk in "${JDKS[@]}"; do
  java=$jdk/bin/java
  v=$("$java" -version 2>&1 | head -1 | sed 's/.*version "\([^"]*\)".*/\1/')
  echo "| $v | $(cps "$java") | $(cps "$java" -javaagent:"$JAR"=log=off,summary=off) | $(cps "$java" -javaagent:"$JAR"=include-loopback=true,log=off,summary=off) | $(cps "$java" -javaagent:"$JAR"=include-loopback=true,summary=off) |"
done
