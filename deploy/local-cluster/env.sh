# Ports and folders of the local cluster; each can be overridden from the environment.
CLUSTER_DIR=${CLUSTER_DIR:-$(pwd)/.cluster}
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
PRIMARY_PORT=${PRIMARY_PORT:-25432}
REPLICA_PORT=${REPLICA_PORT:-25433}
PGBOUNCER_PORT=${PGBOUNCER_PORT:-26432}
REDIS_PORT=${REDIS_PORT:-6379}
OWN_REDIS_PORT=${OWN_REDIS_PORT:-26379}
HAPROXY_PORT=${HAPROXY_PORT:-28080}
HAPROXY_STATS_PORT=${HAPROXY_STATS_PORT:-28081}
INSTANCE_PORTS=${INSTANCE_PORTS:-"23001 23002 23003"}
DB_NAME=${DB_NAME:-customers}
# Extra settings of every instance, as NAME=value words (e.g. "REQUEST_TIMEOUT_MS=5000").
INSTANCE_ENV=${INSTANCE_ENV:-}
PIDS="$CLUSTER_DIR/pids"

# PostgreSQL refuses to run as root: as root its programs run as the postgres user.
as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Root installs directly; others through sudo.
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# Waits up to $2 seconds for `$1` (a command) to succeed.
wait_for() {
  local check=$1 seconds=${2:-30}
  for _ in $(seq 1 $((seconds * 5))); do
    if eval "$check" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  echo "gave up waiting for: $check" >&2
  return 1
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
