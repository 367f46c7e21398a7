#!/usr/bin/env bash
# Memory per idle connection in an app JVM, with and without the agent proxying it (a benchmark, not a test):
# agent/bench/IdleHold.java opens C1 then C2 java.net.Socket connections to an echo server in another
# process (the shared harness's target) and prints the live heap after a full GC plus NMT's committed native
# memory outside the heap, per connection between C1 and C2, then echoes 64 bytes on each.
# Usage: agent/bench/idle-memory.sh [C1 (default 500)] [C2 (default 6000: 3 fds per proxied connection in
# one JVM under this machine's 20,000 fd limit)]   (after: mvn -B -q -pl agent -am package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/../.."
C1=${1:-500}
C2=${2:-6000}
source agent/bench/common.sh
AGENT=$PWD/agent/target/socksbridge-agent.jar
require_built "$AGENT"
bench_jdks
BENCH_SRC=${BENCH_SRC:-$PWD/../shared/bench}
[ -d "$BENCH_SRC" ] || BENCH_SRC=/work/shared/bench
WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
cp -r "$BENCH_SRC" "$WORK/bench"; chmod -R u+w "$WORK/bench"; make -s -C "$WORK/bench"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
javac --release 17 -d "$WORK" agent/bench/IdleHold.java
wait_listen() { for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }
# The target takes 4 consecutive ports below the ephemeral range; its echo port is base + 2.
for TBASE in $(seq $((20000 + RANDOM % 500 * 10)) 10 32000); do
  "$WORK/bench/build/target" --port "$TBASE" --lifetime 3600 2>/dev/null & tpid=$!
  wait_listen $((TBASE + 3)) && kill -0 "$tpid" 2>/dev/null && { PIDS+=("$tpid"); break; }
  kill "$tpid" 2>/dev/null || true
done
for jdk in "${JDKS[@]}"; do
  for config in "" "-javaagent:$AGENT=include-loopback=true,log=off,summary=off"; do
    echo "JDK $(jdk_version "$jdk/bin/java"), ${config:-no agent}" | sed "s#$AGENT#socksbridge-agent.jar#"
    # shellcheck disable=SC2086
    "$jdk/bin/java" -XX:NativeMemoryTracking=summary $config -cp "$WORK" IdleHold 127.0.0.1 $((TBASE + 2)) "$C1" "$C2"
    echo
  done
done
