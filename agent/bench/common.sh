# Shared by the agent's benchmark scripts (sourced, not run): the JDKs to measure, version labels and the
# "best / median" summaries. Expects to be sourced from the repository root.

# Runs SCRIPT (a path from the repository root) with ARGS again inside a network namespace of its own, loopback
# only, whose TIME_WAIT table holds at most 2,048 entries, and exits with its status. A loop of short loopback
# connections leaves tens of thousands of TIME_WAIT entries, and every new connect's port search walks them: the
# rates then drift with how many the previous runs left (20-50% between runs). Without root or `ip` the script
# runs as it is, and says so. Inside the namespace (BENCH_NETNS set) this returns at once.
bench_netns() {
  local script=$1 ns rc
  shift
  [ -n "${BENCH_NETNS:-}" ] && return 0
  if [ "$(id -u)" != 0 ] || ! command -v ip >/dev/null; then
    echo "note: not root (or no ip): running in the host's network namespace, where TIME_WAIT entries pile up" >&2
    return 0
  fi
  ns=sbbench-$$
  ip netns add "$ns" || return 0
  trap 'ip netns del "$ns" 2>/dev/null' EXIT # also when interrupted
  ip netns exec "$ns" ip link set lo up
  ip netns exec "$ns" sysctl -q -w net.ipv4.tcp_max_tw_buckets=2048
  rc=0
  BENCH_NETNS=$ns ip netns exec "$ns" bash "$script" "$@" || rc=$?
  exit "$rc"
}

# The JDKs installed here, oldest first: JDK 17 and JDK 25 where they are.
bench_jdks() {
  JDKS=()
  for j in /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/temurin-25-jdk-amd64; do
    [ -x "$j/bin/java" ] && JDKS+=("$j")
  done
}

# The version a java binary reports, e.g. 25.0.3.
jdk_version() {
  "$1" -version 2>&1 | head -1 | sed 's/.*version "\([^"]*\)".*/\1/'
}

# Fails with the build command unless the agent jar (and the files given as arguments) exist.
require_built() {
  for f in "$@"; do
    [ -f "$f" ] || { echo "build first: mvn -B -q -pl agent -am package -DskipTests" >&2; exit 1; }
  done
}

# The usual start of a script: $JAR (the agent jar, which must be built), $JDKS and $WORK, a scratch folder
# removed at exit.
bench_start() {
  JAR=$PWD/agent/target/socksbridge-agent.jar
  require_built "$JAR"
  bench_jdks
  WORK=$(mktemp -d)
  trap 'rm -rf "$WORK"' EXIT
}

# "min / median" of the numbers in file $1; with "max" as $2, "max / median" (for rates).
stats() {
  sort -n "$1" | awk -v best="${2:-min}" '{a[NR]=$1} END {b = (best == "max") ? a[NR] : a[1]; print b " / " a[int((NR+1)/2)]}'
}

# The median of the numbers in file $1.
median() {
  sort -n "$1" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

# Every run leaves thousands of TIME_WAIT entries; waits (at most 90 s) until fewer than 20,000 remain so a
# run never fails for want of an ephemeral port.
settle() {
  for _ in $(seq 90); do
    [ "$(ss -tan state time-wait | wc -l)" -lt 20000 ] && return 0
    sleep 1
  done
}
