#!/usr/bin/env bash
# route-bench.sh - what a route table costs per connection: a java.net.Socket connect + 64-byte echo + close
# loop through the in-process server with no routes, and with 1,000 routes none of which matches (every
# lookup walks the whole list), interleaved run by run; plus nanoseconds per RouteTable lookup. A benchmark,
# not a test: it prints a Markdown section and, with --write, replaces the "Route lookup" section of
# docs/benchmarks.md with it.
#
#   benchmarks/route-bench.sh [RUNS] [--write]     (after: mvn -B -q -pl inprocess-proxy -am package -DskipTests)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=5
WRITE=no
for arg in "$@"; do
  case "$arg" in
    --write) WRITE=yes ;;
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) RUNS=$arg ;;
  esac
done
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA=$JAVA_HOME/bin/java
JAR=$(ls "$ROOT"/inprocess-proxy/target/inprocess-proxy-*.jar 2>/dev/null | grep -v -e sources -e javadoc | head -1 || true)
[ -n "$JAR" ] || { echo "build first: mvn -B -q -pl inprocess-proxy -am package -DskipTests" >&2; exit 2; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
SLF4J=$(find ~/.m2/repository/org/slf4j/slf4j-api -name 'slf4j-api-*.jar' | sort | tail -1)
CP="$JAR:$SLF4J:$WORK"
"$JAVA_HOME/bin/javac" -d "$WORK" -cp "$CP" "$ROOT/benchmarks/RouteBench.java"

stats() { sort -n | awk '{a[NR]=$1} END {printf "%s / %s", a[NR], a[int((NR+1)/2)]}'; }   # best / median (higher is better)
stats_low() { sort -n | awk '{a[NR]=$1} END {printf "%s / %s", a[1], a[int((NR+1)/2)]}'; } # best / median (lower is better)

for _ in $(seq "$RUNS"); do
  for routes in 0 1000; do
    "$JAVA" -cp "$CP" RouteBench connect "$routes" 500 3000 2>/dev/null >> "$WORK/cps-$routes.txt"
    "$JAVA" -cp "$CP" RouteBench lookup "$routes" 4000 2>/dev/null >> "$WORK/ns-$routes.txt"
  done
done
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratio=$(awk -v a="$(median < "$WORK/cps-1000.txt")" -v b="$(median < "$WORK/cps-0.txt")" 'BEGIN {printf "%.2f", a/b}')

SECTION=$(cat <<MD
## Route lookup (issue 12)

$(date -u '+%Y-%m-%d %H:%M') UTC, \`benchmarks/route-bench.sh $RUNS\`, JDK $("$JAVA" -version 2>&1 | awk -F'"' '/version/{print $2}'),
$(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg) at the end (other builds share the machine). A \`java.net.Socket\` connect + 64-byte echo + close loop through the in-process server
(3000 connections after 500 warm-up per run, one client thread), with no route table and with 1,000 routes of
which none matches the destination (names, wildcards, CIDR ranges, ports: every lookup walks the whole list);
and, on its own, the first \`RouteTable.actionFor\` lookup of a destination (the walk over every route; the
table then remembers the answer, so the connection loop, one destination, pays it once). Best / median of
$RUNS interleaved runs.

| routes | connections/s (one destination) | ns per first lookup of a destination |
|---|---|---|
| none | $(stats < "$WORK/cps-0.txt") | $(stats_low < "$WORK/ns-0.txt") |
| 1,000 (no match) | $(stats < "$WORK/cps-1000.txt") | $(stats_low < "$WORK/ns-1000.txt") |

Connections/s with 1,000 routes divided by none (medians): $ratio.
MD
)
echo "$SECTION"
if [ "$WRITE" = yes ]; then
  DOC=$ROOT/docs/benchmarks.md
  python3 - "$DOC" "$SECTION" <<'PY'
import re, sys
path, section = sys.argv[1], sys.argv[2].rstrip() + "\n\n"
text = open(path).read()
pattern = re.compile(r"## Route lookup \(issue 12\)\n.*?(?=\n## |\Z)", re.S)
if pattern.search(text):
    text = pattern.sub(section.rstrip() + "\n", text, count=1)
else:
    text = text.replace("## Tables (generated", section + "## Tables (generated", 1)
open(path, "w").write(text)
PY
  echo "written to $DOC"
fi
