#!/usr/bin/env bash
# Stop one sandbox server: stop.sh <state-dir|name>
# Kills only the mariadbd recorded in that sandbox's PID file, waits for it to exit, removes nothing.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[ $# -eq 1 ] || { echo "usage: $0 <state-dir|name>" >&2; exit 2; }
state="$(resolve_state_dir "$1")"
pidfile="$state/mysqld.pid"

# The sandbox's PAM service for IAM tokens (see start.sh) goes with it.
if [ -f "$state/iam/pam-service" ]; then
    service="$(tr -dc 'a-z0-9-' < "$state/iam/pam-service")"
    case "$service" in aurora-sandbox-iam-*) rm -f "/etc/pam.d/$service" ;; esac
fi

if [ ! -f "$pidfile" ]; then
    echo "sandbox: not running (no PID file in $state)"
    exit 0
fi
pid="$(tr -dc '0-9' < "$pidfile")"
if ! pid_is_ours "$pid" "$state"; then
    echo "sandbox: not running (PID ${pid:-?} is not this sandbox's server)"
    exit 0
fi

kill -TERM "$pid" 2>/dev/null || true
for _ in $(seq 1 150); do
    pid_is_ours "$pid" "$state" || { echo "sandbox: stopped $state (pid $pid)"; exit 0; }
    sleep 0.1
done
echo "sandbox: server $pid did not stop within 15 s, sending SIGKILL" >&2
kill -KILL "$pid" 2>/dev/null || true
for _ in $(seq 1 50); do
    pid_is_ours "$pid" "$state" || { echo "sandbox: killed $state (pid $pid)"; exit 0; }
    sleep 0.1
done
die "server $pid is still running"
