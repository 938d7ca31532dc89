#!/usr/bin/env bash
# npm run test:cluster: builds if needed, brings up the local cluster (deploy/local-cluster/up.sh)
# with ports and a folder of its own, runs the fault drills (test/cluster/*.cluster-spec.ts),
# prints each drill's figures and stops every process it started by PID, also on failure or
# Ctrl-C. Exits non-zero when a drill fails; the folder (logs) is kept then.
set -euo pipefail
cd "$(dirname "$0")/../.."

export CLUSTER_DIR=${CLUSTER_DIR:-/tmp/customers-drills-$$}
export PRIMARY_PORT=${PRIMARY_PORT:-45432}
export REPLICA_PORT=${REPLICA_PORT:-45433}
export PGBOUNCER_PORT=${PGBOUNCER_PORT:-46432}
# A Redis of its own (nothing on REDIS_PORT, so up.sh starts one on OWN_REDIS_PORT): the drills
# fill client budgets that no other test on the machine should share.
export REDIS_PORT=${REDIS_PORT:-46378}
export OWN_REDIS_PORT=${OWN_REDIS_PORT:-46379}
export HAPROXY_PORT=${HAPROXY_PORT:-48080}
export HAPROXY_STATS_PORT=${HAPROXY_STATS_PORT:-48081}
export INSTANCE_PORTS=${INSTANCE_PORTS:-"43001 43002 43003"}
export DB_NAME=${DB_NAME:-customers}
export PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
# Every second: the drills count expiry runs per tick.
export EXPIRY_CRON=${EXPIRY_CRON:-"* * * * * *"}
export DRILL_RATE_LIMIT_PER_MINUTE=${DRILL_RATE_LIMIT_PER_MINUTE:-300}
export DRILL_REQUEST_TIMEOUT_MS=${DRILL_REQUEST_TIMEOUT_MS:-5000}
export INSTANCE_ENV="RATE_LIMIT_PER_MINUTE=$DRILL_RATE_LIMIT_PER_MINUTE REQUEST_TIMEOUT_MS=$DRILL_REQUEST_TIMEOUT_MS ${INSTANCE_ENV:-}"

if [ -e "$CLUSTER_DIR" ]; then
  echo "$CLUSTER_DIR exists: the drills start from an empty folder (set CLUSTER_DIR)" >&2
  exit 2
fi
for port in $PRIMARY_PORT $REPLICA_PORT $PGBOUNCER_PORT $OWN_REDIS_PORT $HAPROXY_PORT \
  $HAPROXY_STATS_PORT $INSTANCE_PORTS; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "port $port is in use: set the cluster's ports (see deploy/local-cluster/env.sh)" >&2
    exit 2
  fi
done

if [ ! -f dist/src/main.js ] || [ -n "$(find src migrations -name '*.ts' -newer dist/src/main.js | head -n 1)" ]; then
  npm run build
fi

started=$(date +%s)
status=1
finish() {
  trap - EXIT INT TERM
  echo
  echo "=== stopping the cluster"
  bash deploy/local-cluster/down.sh || true
  if [ -f "$CLUSTER_DIR/report.txt" ]; then
    printf '\n=== drill report\n\n'
    cat "$CLUSTER_DIR/report.txt"
  fi
  if [ "$status" = 0 ]; then
    rm -rf "$CLUSTER_DIR"
  else
    echo "logs kept in $CLUSTER_DIR/logs"
  fi
  printf 'cluster drills %s after %ss\n' "$([ "$status" = 0 ] && echo passed || echo FAILED)" \
    "$(($(date +%s) - started))"
  exit "$status"
}
trap finish EXIT
trap 'status=130; exit 130' INT
trap 'status=143; exit 143' TERM

mkdir -p "$CLUSTER_DIR"
echo "=== cluster up in $CLUSTER_DIR (log: $CLUSTER_DIR/logs/up.log)"
mkdir -p "$CLUSTER_DIR/logs"
bash deploy/local-cluster/up.sh >"$CLUSTER_DIR/logs/up.log" 2>&1 || {
  tail -n 30 "$CLUSTER_DIR/logs/up.log"
  exit 1
}
echo "up after $(($(date +%s) - started))s"

set +e
NODE_OPTIONS=--experimental-vm-modules npx jest -c test/jest-cluster.config.js --runInBand
status=$?
set -e
