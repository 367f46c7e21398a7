#!/usr/bin/env bash
# Prepares a Docker engine and the local base images the Testcontainers ITs use, on a CI machine with
# no container registry (see docs/demo.md, "Docker / Testcontainers"). Safe to run again: every step
# is skipped when its result already exists. Every step is bounded in time.
#
# Usage (from .ci/run, before the Maven build), either of:
#     source .ci/docker-setup.sh          # sets the two TESTCONTAINERS_* variables in the caller
#     eval "$(.ci/docker-setup.sh)"       # the same: stdout has only `export` lines, progress is on stderr
# and, so the engine it started does not outlive the run:
#     trap .ci/docker-stop.sh EXIT
#
# It never fails the build: if a step fails it says so on stderr, stops the engine it started, and
# exits 0, so the ITs skip visibly (@Testcontainers(disabledWithoutDocker = true)) instead of failing.
#
# Environment (all optional):
#   SOCKSBRIDGE_CI_DIR   work directory: logs, dockerd.pid          (default /tmp/socksbridge-ci)
#   SOCKSBRIDGE_JDK      JDK copied into the test image             (default /usr/lib/jvm/temurin-25-jdk-amd64)
#   SOCKSBRIDGE_IMAGE    the JDK image to build                     (default local/jdk25:1)

# Sourced (`source .ci/docker-setup.sh`): run as a child so no shell option or exit reaches the caller,
# and take its exports.
if [ "${BASH_SOURCE[0]}" != "$0" ]; then
    eval "$(bash "${BASH_SOURCE[0]}")"
    return 0
fi

set -uo pipefail

CI_DIR=${SOCKSBRIDGE_CI_DIR:-/tmp/socksbridge-ci}
JDK=${SOCKSBRIDGE_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
BASE_IMAGE=local/debian:bookworm
JDK_IMAGE=${SOCKSBRIDGE_IMAGE:-local/jdk25:1}
PID_FILE=$CI_DIR/dockerd.pid
mkdir -p "$CI_DIR"

log() { echo "docker-setup: $*" >&2; }

# Runs one named step; on failure explains, cleans up and ends the script with status 0.
step() {
    local name=$1; shift
    local started=$SECONDS
    log "$name ..."
    if "$@"; then
        log "$name: done in $((SECONDS - started)) s"
    else
        give_up "$name"
    fi
}

# An engine without the test image would make the ITs fail on a pull, so the engine this script
# started is stopped again: the ITs then skip, with "Docker is not available" in the test output.
give_up() {
    log "FAILED: $1 (logs in $CI_DIR)."
    if [ -f "$PID_FILE" ] || ! engine_answers; then
        "$(dirname "$0")/docker-stop.sh" >&2 || true
        log "Docker is NOT available for the tests: the Testcontainers ITs will be SKIPPED (disabledWithoutDocker)."
    else
        log "an engine this script did not start stays up: the Testcontainers ITs will run and need image $JDK_IMAGE."
    fi
    print_exports
    exit 0
}

# The only lines on stdout, for `eval`. Harmless when no engine runs.
print_exports() {
    # The Ryuk reaper image cannot be pulled without a registry; without this Testcontainers hangs.
    echo "export TESTCONTAINERS_RYUK_DISABLED=true"
    # /.dockerenv exists on this kind of machine, so Testcontainers would otherwise start alpine:3.17
    # (unpullable) to find the gateway; published ports are on the host's loopback anyway.
    echo "export TESTCONTAINERS_HOST_OVERRIDE=localhost"
}

engine_answers() {
    timeout 20 docker info >/dev/null 2>&1
}

install_packages() {
    local missing=()
    command -v dockerd >/dev/null && command -v docker >/dev/null || missing+=(docker.io)
    command -v debootstrap >/dev/null || missing+=(debootstrap)
    [ ${#missing[@]} -eq 0 ] && return 0
    log "installing ${missing[*]} (log: $CI_DIR/apt.log)"
    export DEBIAN_FRONTEND=noninteractive
    timeout 600 apt-get -o DPkg::Lock::Timeout=600 update -q >"$CI_DIR/apt.log" 2>&1 &&
        timeout 900 apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends \
            "${missing[@]}" >>"$CI_DIR/apt.log" 2>&1
}

start_engine() {
    engine_answers && { log "an engine already answers; using it"; return 0; }
    # --userland-proxy=false: published ports go through iptables only. The default docker-proxy
    # bind()s each published port and failed with "address already in use" when the ephemeral range
    # was full of TIME_WAIT sockets (e.g. after a loopback load test).
    setsid dockerd --userland-proxy=false </dev/null >"$CI_DIR/dockerd.log" 2>&1 &
    echo $! >"$PID_FILE"
    local deadline=$((SECONDS + 60))
    while [ $SECONDS -lt $deadline ]; do
        engine_answers && return 0
        kill -0 "$(cat "$PID_FILE")" 2>/dev/null || { log "dockerd exited: $(tail -3 "$CI_DIR/dockerd.log")"; return 1; }
        sleep 1
    done
    log "dockerd did not answer within 60 s"
    return 1
}

image_present() {
    docker image inspect "$1" >/dev/null 2>&1
}

# A minimal Debian from the mirror apt already uses: no registry needed.
build_base_image() {
    image_present "$BASE_IMAGE" && { log "$BASE_IMAGE present"; return 0; }
    local mirror rootfs=$CI_DIR/rootfs
    mirror=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null)
    [ -n "$mirror" ] || { log "no URIs: line in /etc/apt/sources.list.d/debian.sources: no mirror to debootstrap from"; return 1; }
    rm -rf "$rootfs"
    timeout 900 debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$CI_DIR/debootstrap.log" 2>&1 || return 1
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    tar -C "$rootfs" -c . | timeout 300 docker import - "$BASE_IMAGE" >/dev/null
    local status=$?
    rm -rf "$rootfs"
    return $status
}

build_jdk_image() {
    image_present "$JDK_IMAGE" && { log "$JDK_IMAGE present"; return 0; }
    [ -x "$JDK/bin/java" ] || { log "no JDK at $JDK (set SOCKSBRIDGE_JDK)"; return 1; }
    local context=$CI_DIR/jdk-image
    rm -rf "$context" && mkdir -p "$context" && cp -a "$JDK" "$context/jdk" || return 1
    cat >"$context/Dockerfile" <<EOF
FROM $BASE_IMAGE
COPY jdk /opt/jdk
ENV JAVA_HOME=/opt/jdk PATH=/opt/jdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
EOF
    # The legacy builder: BuildKit's frontend image would have to be pulled.
    DOCKER_BUILDKIT=0 timeout 300 docker build -q -t "$JDK_IMAGE" "$context" >"$CI_DIR/docker-build.log" 2>&1
    local status=$?
    rm -rf "$context"
    return $status
}

step "install docker.io/debootstrap if missing" install_packages
step "start a Docker engine if none answers" start_engine
step "base image $BASE_IMAGE" build_base_image
step "JDK image $JDK_IMAGE from $JDK" build_jdk_image
log "Docker ready for the Testcontainers ITs (image $JDK_IMAGE)"
print_exports
