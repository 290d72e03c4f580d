#!/usr/bin/env bash
# Makes sure a Docker daemon answers: if none does, starts Debian's dockerd in the background without
# a bridge network or iptables rules (containers use host networking; nothing leaves loopback) and
# waits for it, at most DOCKERD_WAIT seconds (default 60). Exit 0 when `docker info` answers.
# The pid of a daemon started here is written to $DOCKERD_PIDFILE (default /tmp/mqtt-harness-dockerd.pid).
set -uo pipefail

DOCKER=${DOCKER:-docker}
wait_s=${DOCKERD_WAIT:-60}
pidfile=${DOCKERD_PIDFILE:-/tmp/mqtt-harness-dockerd.pid}
logfile=${DOCKERD_LOG:-/tmp/mqtt-harness-dockerd.log}

log() { echo "start-dockerd: $*" >&2; }

if "$DOCKER" info >/dev/null 2>&1; then
  log "a Docker daemon answers already"
  exit 0
fi
if ! command -v dockerd >/dev/null 2>&1; then
  log "Docker is not available: no dockerd (apt-get install docker.io)"
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  log "Docker is not available: starting dockerd needs root"
  exit 1
fi

dockerd --bridge=none --iptables=false --ip6tables=false >"$logfile" 2>&1 &
pid=$!
echo "$pid" > "$pidfile"
log "started dockerd (pid $pid, log $logfile); waiting up to ${wait_s}s"
deadline=$((SECONDS + wait_s))
while [ $SECONDS -lt $deadline ]; do
  if "$DOCKER" info >/dev/null 2>&1; then
    log "Docker daemon ready"
    exit 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    log "Docker is not available: dockerd exited; its last log lines:"
    tail -n 15 "$logfile" >&2
    rm -f "$pidfile"
    exit 1
  fi
  sleep 0.5
done
log "Docker is not available: dockerd did not answer within ${wait_s}s; its last log lines:"
tail -n 15 "$logfile" >&2
exit 1
