#!/usr/bin/env bash
# socksbridge in one command: builds the agent and the demo "legacy service" (when their jars are
# missing or older than the sources), then runs the demo with the agent attached. Every connection the
# demo makes is logged (caller, destination, bytes, duration, outcome), its call to the partner service
# on 127.0.0.2 is denied by policy, its call to payments.demo.invalid (a name that resolves nowhere) is routed
# to a local stand-in, and the agent prints a summary table when the JVM exits.
#
#   ./demo.sh               one round of calls
#   ./demo.sh --loop 3      three rounds (any demo-app argument is passed on)
#
# Needs only a JDK (17+; JDK 25 is used when installed at the path below) and Maven.
set -euo pipefail
cd "$(dirname "$0")"

AGENT_JAR=agent/target/socksbridge-agent.jar
DEMO_JAR=demo-app/target/demo-app.jar
EVENTS=target/demo-events.jsonl
JDK25=/usr/lib/jvm/temurin-25-jdk-amd64

# The demo's policy: enforce, deny the partner host; 127.* must be included explicitly because the JDK
# (and so the agent, by default) sends loopback traffic around any proxy.
AGENT_OPTIONS="include-loopback=true,mode=enforce,deny=127.0.0.2,events=$EVENTS,summary=on"

# The route: payments.demo.invalid:443 goes to the demo's stand-in on a loopback port free now (bash's
# /dev/tcp: a refused connect means nobody listens there).
STAND_IN_PORT=""
for _ in $(seq 50); do
    candidate=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then STAND_IN_PORT=$candidate; break; fi
done
[ -n "$STAND_IN_PORT" ] || { echo "demo.sh: no free loopback port found for the stand-in" >&2; exit 1; }
AGENT_OPTIONS="$AGENT_OPTIONS,route=payments.demo.invalid:443->127.0.0.1:$STAND_IN_PORT"

# Rebuilt when a jar is missing or a pom or main source of the modules the demo runs changed since the
# last build by this script (a stamp file: Maven leaves an up-to-date jar's time alone).
STAMP=target/demo-build.stamp
jars_stale() {
    [ -f "$AGENT_JAR" ] && [ -f "$DEMO_JAR" ] && [ -f "$STAMP" ] || return 0
    [ -n "$(find pom.xml inprocess-proxy/pom.xml inprocess-proxy/src/main agent/pom.xml agent/src/main \
        demo-app/pom.xml demo-app/src/main -newer "$STAMP" -type f -print -quit)" ]
}

mkdir -p target
if jars_stale; then
    echo "demo.sh: building the agent and the demo app (mvn -q -B -DskipTests package) ..." >&2
    touch "$STAMP.next" # sources changed during the build make the next run build again
    mvn -q -B -DskipTests -pl agent,demo-app -am package
    mv "$STAMP.next" "$STAMP"
fi

if [ -x "$JDK25/bin/java" ]; then JAVA="$JDK25/bin/java"; else JAVA=java; fi

rm -f "$EVENTS" # the agent appends; this run's events only
echo "demo.sh: $JAVA -javaagent:$AGENT_JAR=$AGENT_OPTIONS -Ddemo.standin.port=$STAND_IN_PORT -jar $DEMO_JAR $*" >&2
status=0
"$JAVA" "-javaagent:$AGENT_JAR=$AGENT_OPTIONS" "-Ddemo.standin.port=$STAND_IN_PORT" -jar "$DEMO_JAR" "$@" || status=$?
if [ -f "$EVENTS" ]; then
    echo "demo.sh: $(wc -l <"$EVENTS") events (JSON Lines: connections, lookups, datagram totals) in $EVENTS" >&2
fi
exit "$status"
