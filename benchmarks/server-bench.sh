#!/usr/bin/env bash
# server-bench.sh - socksbridge's standalone SOCKS5 server side by side with microsocks and dante,
# measured in ONE run by the shared loopback harness (../shared/bench). Prints the tables and
# writes them to docs/benchmarks.md.
#
#   benchmarks/server-bench.sh [--bench-dir DIR] [--peers microsocks,dante] [run.sh options, e.g. --quick]
#
# Everything it starts (our server, the peers, the harness target) is stopped by PID on exit.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH_SRC=$ROOT/../shared/bench
PEERS=microsocks,dante
RUNARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --bench-dir) BENCH_SRC=$2; shift 2 ;;
    --peers) PEERS=$2; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) RUNARGS+=("$1"); shift ;;
  esac
done
[ -d "$BENCH_SRC" ] || { echo "bench harness not found at $BENCH_SRC (use --bench-dir)" >&2; exit 2; }

JAVA=${JAVA:-java}
[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ] && JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
JAR=$ROOT/inprocess-proxy/target/socksbridge-proxy.jar
[ -f "$JAR" ] || (cd "$ROOT" && mvn -q -B -DskipTests -pl inprocess-proxy -am package)

# The shared harness may be read-only: run a private copy.
WORK=$(mktemp -d /tmp/socksbridge-bench.XXXXXX)
cp -r "$BENCH_SRC" "$WORK/bench"
chmod -R u+w "$WORK/bench"
make -s -C "$WORK/bench"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true # 143 after TERM; set -e must not end the run here
    SERVER_PID=""
  fi
}
trap cleanup EXIT

# Starts the standalone server on a free port; sets SERVER_PID and ADDR.
start_server() {
  # Per-connection INFO lines would measure stderr, not the relay: log warnings only.
  "$JAVA" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -jar "$JAR" --port 0 >"$WORK/server.out" 2>"$WORK/server.err" &
  SERVER_PID=$!
  for _ in $(seq 100); do grep -q 'listening on' "$WORK/server.out" 2>/dev/null && break; sleep 0.1; done
  ADDR=$(sed -n 's/.*listening on //p' "$WORK/server.out" | head -1)
  [ -n "$ADDR" ] || { echo "socksbridge-proxy did not start" >&2; cat "$WORK/server.err" >&2; exit 1; }
  echo "socksbridge-proxy $("$JAVA" -version 2>&1 | head -1) on $ADDR pid $SERVER_PID" >&2
}

STAMP=$(date +%Y%m%d-%H%M%S)
OURS=$WORK/bench/results/socksbridge-$STAMP.jsonl
start_server
"$WORK/bench/run.sh" --proxy "$ADDR" --pid "$SERVER_PID" --label socksbridge --out "$OURS" "${RUNARGS[@]}" --scenarios tput,rate
cleanup
# Idle-session memory in a fresh JVM: a heap the throughput runs already grew would hide the
# per-session cost (RSS does not shrink back), and the marginal figure is what the target is about.
start_server
"$WORK/bench/run.sh" --proxy "$ADDR" --pid "$SERVER_PID" --label socksbridge --out "$OURS" "${RUNARGS[@]}" --scenarios hold
cleanup
"$WORK/bench/peers.sh" --peers "$PEERS" "${RUNARGS[@]}"

mkdir -p "$ROOT/docs/bench-results"
cp "$WORK"/bench/results/*.jsonl "$ROOT/docs/bench-results/"
python3 "$WORK/bench/report.py" "$WORK"/bench/results/*.jsonl --md >"$WORK/tables.md"
cat "$WORK/tables.md"
echo "tables: $WORK/tables.md; raw results copied to docs/bench-results/" >&2
