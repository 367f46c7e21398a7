#!/usr/bin/env bash
# The agent's proxied java.net.Socket path beside other SOCKS5 servers (a benchmark, not a test): the same
# ConnectBench loop (connect + 64-byte echo + close, the JDK's own SOCKS client) run direct, through the
# agent's in-process proxy, and through separate proxy processes that the JDK is pointed at with
# -DsocksProxyHost: the standalone socksbridge-proxy CLI, SelectorPeer (agent/bench/SelectorPeer.java: a
# minimal one-thread selector SOCKS5 server, to compare the event-loop design), microsocks and dante (apt
# packages microsocks and dante-server; a peer whose binary is missing is left out), and on JDK 21+ the design's
# floor inside the client's JVM (benchmarks/MinimalSocks.java through agent/bench/InProcessFloor.java: a bare
# SOCKS5 server on virtual threads, no policy, events or limits, pointed at as the agent points the JDK).
# Usage: agent/bench/socket-peers.sh [RUNS]   (after: mvn -B -q -pl agent -am package -DskipTests)
# WARMUP (default 3000) connections before the 2000 counted: the in-process proxy's path is still being
# compiled after fewer (on 2 cores the JIT shares the cores with the loop).
# Prints a Markdown table per JDK; configurations are interleaved run by run; cells are "best / median"
# connections/s, and the last row divides each median by the direct median.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${1:-5}
WARMUP=${WARMUP:-3000}
source agent/bench/common.sh
bench_netns agent/bench/socket-peers.sh "$@"
AGENT=$PWD/agent/target/socksbridge-agent.jar
CLI=$PWD/inprocess-proxy/target/socksbridge-proxy.jar
require_built "$AGENT" "$CLI"
bench_jdks
CLI_JAVA=${JDKS[-1]}/bin/java
WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
javac --release 17 -d "$WORK" agent/bench/ConnectBench.java agent/bench/SelectorPeer.java
"${JDKS[-1]}/bin/javac" --release 21 -d "$WORK" benchmarks/MinimalSocks.java agent/bench/InProcessFloor.java

# A loopback port nobody listens on now (a benchmark's peers take fixed ports; tests never do).
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Waits (at most 10 s) until something accepts on 127.0.0.1:$1.
wait_listen() {
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "nothing listens on port $1" >&2
  return 1
}

NAMES=("direct" "in-process (agent, include-loopback)" "in-process floor (MinimalSocks in the client's JVM; JDK 21+)")
CONFIGS=("" "-javaagent:$AGENT=include-loopback=true,log=off,summary=off" "-Dbench.inProcessFloor=true")
FLOOR=2 # the index of the floor's configuration, left out on JDK 17 (no virtual threads)
# An external SOCKS5 server for the JDK client: the empty socksNonProxyHosts clears the loopback default.
add_peer() {
  NAMES+=("$1")
  CONFIGS+=("-DsocksProxyHost=127.0.0.1 -DsocksProxyPort=$2 -DsocksNonProxyHosts=")
}

port=$(free_port)
"$CLI_JAVA" -jar "$CLI" --bind 127.0.0.1 --port "$port" >"$WORK/cli.log" 2>&1 &
PIDS+=($!); wait_listen "$port"; add_peer "socksbridge-proxy CLI (own JVM)" "$port"
port=$(free_port)
"$CLI_JAVA" -cp "$WORK" SelectorPeer "$port" >"$WORK/selector.log" 2>&1 &
PIDS+=($!); wait_listen "$port"; add_peer "SelectorPeer (one selector thread, own JVM; bench only)" "$port"
if command -v microsocks >/dev/null; then
  port=$(free_port)
  microsocks -i 127.0.0.1 -p "$port" >"$WORK/microsocks.log" 2>&1 &
  PIDS+=($!); wait_listen "$port"; add_peer "microsocks" "$port"
fi
if command -v danted >/dev/null; then
  port=$(free_port)
  cat >"$WORK/danted.conf" <<EOF
logoutput: $WORK/danted.log
internal: 127.0.0.1 port = $port
external: 127.0.0.1
clientmethod: none
socksmethod: none
user.unprivileged: nobody
client pass { from: 127.0.0.0/8 to: 0.0.0.0/0 }
socks pass { from: 127.0.0.0/8 to: 127.0.0.0/8 command: connect }
EOF
  danted -f "$WORK/danted.conf" -p "$WORK/danted.pid" >"$WORK/danted.out" 2>&1 &
  PIDS+=($!); wait_listen "$port"; add_peer "dante" "$port"
fi

echo "### java.net.Socket connect + 64-byte echo + close through SOCKS5 servers (connections/s)"
echo
echo "best / median of $RUNS interleaved runs of ConnectBench $WARMUP 2000 exact (2000 connections after $WARMUP warm-up; the server echoes 64 bytes and closes first, then the client: no half-close, which microsocks does not relay)"
for jdk in "${JDKS[@]}"; do
  java=$jdk/bin/java
  v=$(jdk_version "$java")
  rm -f "$WORK"/cps*.txt
  for _ in $(seq "$RUNS"); do
    settle
    for i in "${!CONFIGS[@]}"; do
      [ "$i" = "$FLOOR" ] && [ "${v%%.*}" -lt 21 ] && continue
      # shellcheck disable=SC2086
      "$java" ${CONFIGS[$i]} -cp "$WORK" ConnectBench "$WARMUP" 2000 exact 2>"$WORK/err" >> "$WORK/cps$i.txt" \
        || { echo "ConnectBench failed with ${NAMES[$i]}:" >&2; head -3 "$WORK/err" >&2; exit 1; }
    done
  done
  echo
  echo "JDK $v (client); the CLI runs on $(jdk_version "$CLI_JAVA")"
  echo
  echo "| configuration | connections/s | median / direct median |"
  echo "|---|---|---|"
  direct=$(median "$WORK/cps0.txt")
  for i in "${!CONFIGS[@]}"; do
    [ -s "$WORK/cps$i.txt" ] || continue
    ratio=$(awk -v m="$(median "$WORK/cps$i.txt")" -v d="$direct" 'BEGIN {printf "%.2f", m / d}')
    echo "| ${NAMES[$i]} | $(stats "$WORK/cps$i.txt" max) | $ratio |"
  done
done
