#!/usr/bin/env bash
# conn-rate.sh - the standalone CLI's connection rate beside microsocks, interleaved (a benchmark, not a test).
# Each round runs the shared harness's `socksbench rate` (connect, greeting, CONNECT, 64 B echo, close; the
# target closes first) for 1, 16 and 64 clients against every server in turn, so all figures of a round
# share the machine's load. The CLIs are warmed first (WARM seconds of rate at 16 clients); a separate cold
# pass starts a fresh CLI per measurement and reports the rate of its first second.
#
#   benchmarks/conn-rate.sh [ROUNDS (default 5)]
#   VARIANTS='name=JVM flags;name2=flags' adds CLI variants (default: the CLI as built, no flags); a flag
#   jar:PATH runs that jar instead of the one built (an A/B of two builds in the same run); src:FILE.java
#   runs that single-file program instead, compiled first (benchmarks/MinimalSocks.java: the design's floor)
# Prints Markdown tables: conn/s best / median per server and client count, and ratio of medians.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
source agent/bench/common.sh
bench_netns benchmarks/conn-rate.sh "$@" # a namespace of its own, where TIME_WAIT entries cannot pile up
ROUNDS=${1:-5}
WARM=${WARM:-4}
SECS=${SECS:-1}
VARIANTS=${VARIANTS:-cli=}
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
JAR=$ROOT/inprocess-proxy/target/socksbridge-proxy.jar
BENCH_SRC=${BENCH_SRC:-$ROOT/../shared/bench}
[ -d "$BENCH_SRC" ] || BENCH_SRC=/work/shared/bench
[ -f "$JAR" ] || { echo "build first: mvn -q -B -DskipTests -pl inprocess-proxy -am package" >&2; exit 2; }
command -v microsocks >/dev/null || { echo "microsocks missing (apt-get install microsocks)" >&2; exit 2; }
WORK=$(mktemp -d /tmp/conn-rate.XXXXXX)
cp -r "$BENCH_SRC" "$WORK/bench"; chmod -R u+w "$WORK/bench"; make -s -C "$WORK/bench"
SB=$WORK/bench/build/socksbench
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_listen() { for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }

# The harness's target takes 4 consecutive ports (sink, source, echo, echo-once) on 127.0.0.1 and ::1,
# below the ephemeral range; the next block of 10 is tried if something holds one of them.
for TBASE in $(seq $((20000 + RANDOM % 500 * 10)) 10 32000); do
  "$WORK/bench/build/target" --port "$TBASE" --lifetime 3600 2>/dev/null & tpid=$!
  wait_listen $((TBASE + 3)) && kill -0 "$tpid" 2>/dev/null && { PIDS+=("$tpid"); break; }
  kill "$tpid" 2>/dev/null || true
done
TARGET=127.0.0.1:$((TBASE + 3)) # echo-once: the target closes first

NAMES=(); PORTS=(); SPIDS=()
port=$(free_port); microsocks -i 127.0.0.1 -p "$port" >/dev/null 2>&1 & PIDS+=($!)
wait_listen "$port"; NAMES+=(microsocks); PORTS+=("$port"); SPIDS+=($!)

# Starts the CLI with flags $2 on a free port; prints "PORT PID".
start_cli() {
  local p flags=() run=(-jar "$JAR"); p=$(free_port)
  for f in $1; do
    case $f in
      jar:*) run=(-jar "${f#jar:}") ;;
      src:*) run=(-cp "$WORK/src" "$(basename "${f#src:}" .java)") ;;
      *) flags+=("$f") ;;
    esac
  done
  "$JAVA" "${flags[@]}" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn "${run[@]}" --bind 127.0.0.1 --port "$p" >/dev/null 2>&1 &
  local pid=$!
  wait_listen "$p"; echo "$p $pid"
}
IFS=';' read -ra VLIST <<<"$VARIANTS"
for v in "${VLIST[@]}"; do
  for f in ${v#*=}; do case $f in src:*) "${JAVA%/java}/javac" -d "$WORK/src" "$ROOT/${f#src:}" ;; esac; done
done
for v in "${VLIST[@]}"; do
  read -r p pid < <(start_cli "${v#*=}"); PIDS+=("$pid")
  NAMES+=("${v%%=*}"); PORTS+=("$p"); SPIDS+=("$pid")
done
rate() { # PORT CLIENTS SECS WARMUP -> conn/s
  "$SB" rate --target "$TARGET" --proxy "127.0.0.1:$1" --clients "$2" --duration "$3" --warmup "$4" --rep 1 \
    --label x 2>/dev/null | python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["cps"])'
}
for i in "${!NAMES[@]}"; do rate "${PORTS[$i]}" 16 "$WARM" 0 >/dev/null; done # warm the JVMs (and microsocks)
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for r in $(seq "$ROUNDS"); do
  for k in 1 16 64; do
    for i in "${!NAMES[@]}"; do echo "$(rate "${PORTS[$i]}" "$k" "$SECS" 0.3)" >>"$WORK/warm-$i-$k"; done
  done
  echo "round $r done, load $(cut -d' ' -f1 /proc/loadavg)" >&2
done
# Cold: a fresh JVM per measurement, its first second at 16 clients (microsocks for scale).
for r in $(seq "$ROUNDS"); do
  for v in "${VLIST[@]}"; do
    read -r p pid < <(start_cli "${v#*=}")
    echo "$(rate "$p" 16 1 0)" >>"$WORK/cold-${v%%=*}"; kill "$pid"; wait "$pid" 2>/dev/null || true
  done
done
stats() { sort -g "$1" | awk '{a[NR]=$1} END {printf "%.0f / %.0f", a[NR], (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
med() { stats "$1" | sed 's#.*/ ##'; }
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "| server | K=1 conn/s | K=16 | K=64 | median / microsocks (1 / 16 / 64) |"
echo "|---|---|---|---|---|"
for i in "${!NAMES[@]}"; do
  ratios=$(for k in 1 16 64; do awk -v a="$(med "$WORK/warm-$i-$k")" -v b="$(med "$WORK/warm-0-$k")" 'BEGIN{printf "%.2f ", a/b}'; done)
  echo "| ${NAMES[$i]} (warm) | $(stats "$WORK/warm-$i-1") | $(stats "$WORK/warm-$i-16") | $(stats "$WORK/warm-$i-64") | $ratios|"
done
echo
echo "| CLI variant | cold first second, K=16 (best / median) | cold / warm (medians) |"
echo "|---|---|---|"
for i in "${!VLIST[@]}"; do
  n=${NAMES[$((i + 1))]}
  echo "| $n | $(stats "$WORK/cold-$n") | $(awk -v a="$(med "$WORK/cold-$n")" -v b="$(med "$WORK/warm-$((i + 1))-16")" 'BEGIN{printf "%.2f", a/b}') |"
done
