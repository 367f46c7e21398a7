#!/usr/bin/env bash
# idle-memory.sh - memory per idle proxied connection as the JVM sees it (a benchmark, not a test): the live
# heap after a full GC (jcmd GC.run, then GC.heap_info "used") plus the JVM's native memory outside the heap
# (-XX:NativeMemoryTracking=summary: total committed minus "Java Heap" committed). Kernel socket buffers are
# not counted (the peers' RSS does not count them either). The standalone CLI (JDK 25, default GC) holds
# C1 idle relays, then C2 (the shared harness's `socksbench hold`, each relay echoing 64 B once at the end),
# measured while they are held; the per-connection figure is the difference between both sizes divided by
# C2 - C1, so one-time costs (classes, JIT code, the first threads) are left out.
#
#   benchmarks/idle-memory.sh [C1 (default 1000)] [C2 (default 9968: 2 fds per relay under a 20,000 fd limit)]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
C1=${1:-1000}
C2=${2:-9968}
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
JCMD=$(dirname "$JAVA")/jcmd
JAR=$ROOT/inprocess-proxy/target/socksbridge-proxy.jar
BENCH_SRC=${BENCH_SRC:-$ROOT/../shared/bench}
[ -d "$BENCH_SRC" ] || BENCH_SRC=/work/shared/bench
[ -f "$JAR" ] || { echo "build first: mvn -q -B -DskipTests -pl inprocess-proxy -am package" >&2; exit 2; }
WORK=$(mktemp -d /tmp/idle-memory.XXXXXX)
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
PORT=$(free_port)
"$JAVA" -XX:NativeMemoryTracking=summary ${CLI_FLAGS:-} -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -jar "$JAR" \
  --bind 127.0.0.1 --port "$PORT" >"$WORK/cli.out" 2>&1 &
CLI=$!; PIDS+=($CLI); wait_listen "$PORT"

# Prints "HEAP_USED_KIB NONHEAP_COMMITTED_KIB THREADS" of the CLI after a full GC.
measure() {
  "$JCMD" "$CLI" GC.run >/dev/null
  local used nmt heap
  used=$("$JCMD" "$CLI" GC.heap_info | sed -n "s/.*heap .*, used \([0-9]*\)K.*/\1/p" | head -1)
  "$JCMD" "$CLI" VM.native_memory summary >"$WORK/nmt.txt"
  nmt=$(sed -n 's/^Total: reserved=[0-9]*KB, committed=\([0-9]*\)KB.*/\1/p' "$WORK/nmt.txt")
  heap=$(grep -A0 'Java Heap (reserved' "$WORK/nmt.txt" | sed -n 's/.*committed=\([0-9]*\)KB.*/\1/p')
  echo "$used $((nmt - heap)) $(ls /proc/$CLI/task | wc -l)"
}
# Holds $1 relays through the CLI, measures once all are established, then lets the hold end (echo + close).
hold() {
  "$SB" hold --target "127.0.0.1:$((TBASE + 2))" --proxy "127.0.0.1:$PORT" --conns "$1" --hold 30 \
    --label cli >"$WORK/hold-$1.json" 2>"$WORK/hold-$1.err" &
  local h=$!
  for _ in $(seq 600); do
    [ "$(ss -Htn state established "( sport = :$PORT )" | wc -l)" -ge "$1" ] && break
    sleep 0.1
  done
  sleep 1
  measure >"$WORK/m-$1"
  cp "$WORK/nmt.txt" "$WORK/nmt-$1.txt"
  wait "$h" || true
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["established"], d["echo_ok"])' "$WORK/hold-$1.json" >"$WORK/e-$1"
}
measure >"$WORK/m-0"
hold "$C1"
hold "$C2"
read -r h0 n0 t0 <"$WORK/m-0"; read -r h1 n1 t1 <"$WORK/m-$C1"; read -r h2 n2 t2 <"$WORK/m-$C2"
read -r est1 ok1 <"$WORK/e-$C1"; read -r est2 ok2 <"$WORK/e-$C2"
echo "| relays held | established / echoed | live heap after full GC, KiB | native (NMT committed, not heap), KiB | JVM threads |"
echo "|---|---|---|---|---|"
echo "| 0 | - | $h0 | $n0 | $t0 |"
echo "| $C1 | $est1 / $ok1 | $h1 | $n1 | $t1 |"
echo "| $C2 | $est2 / $ok2 | $h2 | $n2 | $t2 |"
awk -v a="$h1" -v b="$h2" -v c="$n1" -v d="$n2" -v n="$((C2 - C1))" 'BEGIN {
  printf "\nper idle relay between %s and %s held: heap %.1f KiB + native %.1f KiB = **%.1f KiB**\n", "'"$C1"'", "'"$C2"'", (b-a)/n, (d-c)/n, (b-a+d-c)/n }'
echo "NMT summary at $C2 held: $WORK/nmt-$C2.txt" >&2
