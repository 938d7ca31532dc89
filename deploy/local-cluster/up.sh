#!/usr/bin/env bash
# One machine, the deployed shape: a PostgreSQL primary and a streaming replica, PgBouncer in
# transaction mode in front of the primary, Redis, three service instances and HAProxy in front of
# them. Every process it starts is recorded by PID under $CLUSTER_DIR/pids; down.sh stops them.
set -euo pipefail
cd "$(dirname "$0")/../.."
source deploy/local-cluster/env.sh

step() { printf '\n=== %s\n' "$*"; }

step "packages"
missing=()
command -v haproxy >/dev/null || missing+=(haproxy)
command -v pgbouncer >/dev/null || missing+=(pgbouncer)
# Redis only when none answers on REDIS_PORT: then up.sh runs one of its own.
if ! command -v redis-server >/dev/null && ! redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; then
  missing+=(redis-server)
fi
if [ ${#missing[@]} -gt 0 ]; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
[ -x "$PG_BIN/initdb" ] || { echo "PostgreSQL server binaries not found (PG_BIN=$PG_BIN)"; exit 1; }
[ -f dist/src/main.js ] || npm run build

mkdir -p "$CLUSTER_DIR/logs" "$PIDS" "$CLUSTER_DIR/pgbouncer"
# The PostgreSQL and PgBouncer processes run as postgres when this script runs as root.
[ "$(id -u)" = 0 ] && chown postgres "$CLUSTER_DIR" "$CLUSTER_DIR/logs" "$PIDS" "$CLUSTER_DIR/pgbouncer"

pg_start() {
  local name=$1 port=$2
  as_postgres "$PG_BIN/pg_ctl" -D "$CLUSTER_DIR/$name" -l "$CLUSTER_DIR/logs/$name.log" -w -o \
    "-p $port -k $CLUSTER_DIR -c listen_addresses=127.0.0.1 -c max_connections=200 \
     -c wal_level=replica -c max_wal_senders=5 -c hot_standby=on" start >/dev/null
}

step "primary on $PRIMARY_PORT"
if [ ! -f "$CLUSTER_DIR/primary/PG_VERSION" ]; then
  as_postgres "$PG_BIN/initdb" -D "$CLUSTER_DIR/primary" -U postgres -A trust >/dev/null
fi
as_postgres "$PG_BIN/pg_ctl" -D "$CLUSTER_DIR/primary" status >/dev/null 2>&1 ||
  pg_start primary "$PRIMARY_PORT"
psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -d postgres -tAc \
  "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'" | grep -q 1 ||
  psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -d postgres -qc "CREATE DATABASE \"$DB_NAME\""

step "streaming replica on $REPLICA_PORT"
if [ ! -f "$CLUSTER_DIR/replica/PG_VERSION" ]; then
  as_postgres "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres \
    -D "$CLUSTER_DIR/replica" -R -X stream -c fast
fi
as_postgres "$PG_BIN/pg_ctl" -D "$CLUSTER_DIR/replica" status >/dev/null 2>&1 ||
  pg_start replica "$REPLICA_PORT"

step "pgbouncer (transaction mode) on $PGBOUNCER_PORT"
echo '"postgres" ""' > "$CLUSTER_DIR/pgbouncer/users.txt"
export CLUSTER_DIR PIDS DB_NAME PRIMARY_PORT PGBOUNCER_PORT HAPROXY_PORT HAPROXY_STATS_PORT
envsubst < deploy/local-cluster/pgbouncer.ini.template > "$CLUSTER_DIR/pgbouncer/pgbouncer.ini"
[ "$(id -u)" = 0 ] && chown -R postgres "$CLUSTER_DIR/pgbouncer"
if ! port_open "$PGBOUNCER_PORT"; then
  as_postgres pgbouncer -d "$CLUSTER_DIR/pgbouncer/pgbouncer.ini"
fi
wait_for "psql -h 127.0.0.1 -p $PGBOUNCER_PORT -U postgres -d $DB_NAME -tAc 'SELECT 1'" 30

step "redis"
if redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; then
  redis_url="redis://127.0.0.1:$REDIS_PORT"
else
  redis-server --port "$OWN_REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
    --daemonize yes --pidfile "$PIDS/redis.pid" --dir "$CLUSTER_DIR" \
    --logfile "$CLUSTER_DIR/logs/redis.log"
  wait_for "redis-cli -p $OWN_REDIS_PORT ping" 10
  redis_url="redis://127.0.0.1:$OWN_REDIS_PORT"
fi
echo "$redis_url"

step "service instances on $INSTANCE_PORTS"
issuer="http://127.0.0.1:$HAPROXY_PORT/"
key_file="$CLUSTER_DIR/dev-issuer-key.json"
# One signing key for every instance, made before they start (they would race to create it).
node -e "require('./dist/src/dev-issuer/dev-issuer-keys').loadOrCreateSigningKey(process.argv[1])" \
  "$key_file"
servers=""
for port in $INSTANCE_PORTS; do
  servers+="    server instance-$port 127.0.0.1:$port check"$'\n'
  # Appended: the log of a restarted instance keeps what its predecessor said.
  if [ -f "$PIDS/instance-$port.pid" ] && kill -0 "$(cat "$PIDS/instance-$port.pid")" 2>/dev/null; then
    continue
  fi
  NODE_ENV=production PORT="$port" \
    DATABASE_URL="postgresql://postgres@127.0.0.1:$PGBOUNCER_PORT/$DB_NAME" \
    DATABASE_POOL_MODE=transaction \
    DATABASE_DIRECT_URL="postgresql://postgres@127.0.0.1:$PRIMARY_PORT/$DB_NAME" \
    DATABASE_REPLICA_URLS="postgresql://postgres@127.0.0.1:$REPLICA_PORT/$DB_NAME" \
    REDIS_URL="$redis_url" \
    AUTH_ISSUER="$issuer" DEV_AUTH=true DEV_AUTH_KEY_FILE="$key_file" \
    ORGANISATIONS="${ORGANISATIONS:-1:Demo One,2:Demo Two}" \
    EXPIRY_CRON="${EXPIRY_CRON:-0 * * * * *}" \
    nohup env ${INSTANCE_ENV:-} node dist/src/main.js >>"$CLUSTER_DIR/logs/instance-$port.log" 2>&1 &
  echo $! > "$PIDS/instance-$port.pid"
done
for port in $INSTANCE_PORTS; do
  wait_for "curl -fsS http://127.0.0.1:$port/health/ready" 60
done

step "haproxy on $HAPROXY_PORT"
export HAPROXY_SERVERS="$servers"
envsubst < deploy/local-cluster/haproxy.cfg.template > "$CLUSTER_DIR/haproxy.cfg.new"
haproxy -c -q -f "$CLUSTER_DIR/haproxy.cfg.new"
if [ -f "$PIDS/haproxy.pid" ] && kill -0 "$(cat "$PIDS/haproxy.pid")" 2>/dev/null; then
  # A reload only when the configuration changed: a reload resets the servers' health states
  # and statistics, and up.sh runs again to restart a single instance.
  if ! cmp -s "$CLUSTER_DIR/haproxy.cfg.new" "$CLUSTER_DIR/haproxy.cfg"; then
    mv "$CLUSTER_DIR/haproxy.cfg.new" "$CLUSTER_DIR/haproxy.cfg"
    haproxy -f "$CLUSTER_DIR/haproxy.cfg" -D -p "$PIDS/haproxy.pid" -sf "$(cat "$PIDS/haproxy.pid")"
  fi
else
  mv "$CLUSTER_DIR/haproxy.cfg.new" "$CLUSTER_DIR/haproxy.cfg"
  haproxy -f "$CLUSTER_DIR/haproxy.cfg" -D -p "$PIDS/haproxy.pid"
fi
wait_for "curl -fsS http://127.0.0.1:$HAPROXY_PORT/health/ready" 30

cat <<INFO

The cluster is up:
  service (HAProxy)   http://127.0.0.1:$HAPROXY_PORT   (Swagger UI at /docs; stats: http://127.0.0.1:$HAPROXY_STATS_PORT/)
  instances           $(for p in $INSTANCE_PORTS; do printf 'http://127.0.0.1:%s ' "$p"; done)
  PgBouncer           postgresql://postgres@127.0.0.1:$PGBOUNCER_PORT/$DB_NAME (transaction mode)
  primary / replica   127.0.0.1:$PRIMARY_PORT / 127.0.0.1:$REPLICA_PORT
  Redis               $redis_url
  folders and logs    $CLUSTER_DIR
Stop everything with: npm run cluster:down
INFO
