#!/usr/bin/env bash
# Stops every process up.sh started (by the PIDs it recorded) and, with --purge, deletes the folders.
set -uo pipefail
cd "$(dirname "$0")/../.."
source deploy/local-cluster/env.sh

stop_pid() {
  local file=$1 pid
  pid=$(cat "$file" 2>/dev/null) || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
    echo "stopped $(basename "$file" .pid) ($pid)"
  fi
  rm -f "$file"
}

[ -d "$PIDS" ] || { echo "no cluster under $CLUSTER_DIR"; exit 0; }
stop_pid "$PIDS/haproxy.pid"
for file in "$PIDS"/instance-*.pid; do [ -e "$file" ] && stop_pid "$file"; done
stop_pid "$PIDS/pgbouncer.pid"
stop_pid "$PIDS/redis.pid"
for name in replica primary; do
  if [ -f "$CLUSTER_DIR/$name/postmaster.pid" ]; then
    as_postgres "$PG_BIN/pg_ctl" -D "$CLUSTER_DIR/$name" -m fast -w stop >/dev/null && echo "stopped $name"
  fi
done
if [ "${1:-}" = "--purge" ]; then
  rm -rf "$CLUSTER_DIR"
  echo "removed $CLUSTER_DIR"
fi
