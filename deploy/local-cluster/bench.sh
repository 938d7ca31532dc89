#!/usr/bin/env bash
# Throughput through HAProxy with 1, 2 and 3 instances of the running local cluster
# (`npm run cluster:up` first), and the streaming replica's lag meanwhile. BENCH_ROUNDS rounds
# alternate the order (1 2 3, then 3 2 1, ...) so a machine whose load drifts does not favour one
# count. Seeds the primary with BENCH_PROFILES bench profiles when it holds fewer.
# Usage: npm run cluster:bench
set -euo pipefail
cd "$(dirname "$0")/../.."
source deploy/local-cluster/env.sh

BENCH_PROFILES=${BENCH_PROFILES:-100000}
BENCH_DURATION=${BENCH_DURATION:-10}
BENCH_SCENARIOS=${BENCH_SCENARIOS:-lookup,search-surname,create,patch}
BENCH_ROUNDS=${BENCH_ROUNDS:-2}
primary="postgresql://postgres@127.0.0.1:$PRIMARY_PORT/$DB_NAME"
service="http://127.0.0.1:$HAPROXY_PORT"
read -r -a ports <<<"$INSTANCE_PORTS"

curl -fsS "$service/health/ready" >/dev/null || { echo "no cluster at $service: npm run cluster:up"; exit 1; }
[ -f dist/scripts/bench.js ] || npm run build
DATABASE_URL="$primary" node dist/scripts/bench.js --profiles "$BENCH_PROFILES" --seed-only

token() {
  curl -fsS -X POST "$service/oauth/token" -H 'content-type: application/json' \
    -d '{"grant_type":"client_credentials","client_id":"demo-1","client_secret":"demo-1-secret","audience":"https://api.customers.local"}' |
    node -pe 'JSON.parse(require("fs").readFileSync(0)).access_token'
}

# The replica's replay lag as the primary sees it (ms, bytes), sampled every 200 ms into $1.
sample_lag() {
  while true; do
    psql "$primary" -tAc "SELECT COALESCE(EXTRACT(EPOCH FROM replay_lag) * 1000, 0)::int,
      pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint FROM pg_stat_replication" >>"$1" || true
    sleep 0.2
  done
}

summary=$(mktemp)
for round in $(seq 1 "$BENCH_ROUNDS"); do
  if ((round % 2)); then counts=$(seq 1 "${#ports[@]}"); else counts=$(seq "${#ports[@]}" -1 1); fi
  for count in $counts; do
    printf '\n=== round %s: %s instance(s) behind HAProxy\n' "$round" "$count"
    INSTANCE_PORTS="${ports[*]:0:count}" bash deploy/local-cluster/up.sh >/dev/null
    lag_file=$(mktemp)
    sample_lag "$lag_file" &
    sampler=$!
    DATABASE_URL="$primary" node dist/scripts/bench.js --url "$service" --token "$(token)" \
      --scenarios "$BENCH_SCENARIOS" --duration "$BENCH_DURATION" --warmup 2 | tee /dev/stderr |
      grep -E '^[a-z-]+: [0-9]+ s ×' | sed "s/^/round $round · $count instance(s) · /" >>"$summary"
    kill "$sampler"
    wait "$sampler" 2>/dev/null || true
    awk -F'|' -v n="$count" -v r="$round" 'NF == 2 { if ($1 > ms) ms = $1; if ($2 > b) b = $2 }
      END { printf "round %s · %s instance(s) · replica lag: max %d ms, max %d kB behind\n", r, n, ms, b / 1024 }' \
      "$lag_file" >>"$summary"
    rm -f "$lag_file"
  done
done

printf '\n=== summary (load average now: %s)\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
cat "$summary"
rm -f "$summary"
