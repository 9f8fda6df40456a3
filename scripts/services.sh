#!/usr/bin/env bash
# PostgreSQL and Redis for development and CI: installs the Debian packages when missing and runs
# both servers as this project's own processes on 127.0.0.1, with their data under a state folder.
#
#   eval "$(bash scripts/services.sh)"     start (idempotent); prints `export DATABASE_URL=... REDIS_URL=...`
#   bash scripts/services.sh urls          print the exports if both servers are up (exit 1 otherwise)
#   bash scripts/services.sh stop          stop both servers (the data stays for the next start)
#
# The data is disposable: PostgreSQL runs with fsync off and Redis without persistence.
# Override the location and ports with BF_SERVICES_DIR, BF_POSTGRES_PORT and BF_REDIS_PORT.
set -euo pipefail

state_dir="${BF_SERVICES_DIR:-${TMPDIR:-/tmp}/because-future-services}"
pg_port="${BF_POSTGRES_PORT:-55432}"
redis_port="${BF_REDIS_PORT:-56379}"
pg_data="$state_dir/postgres/data"
pg_socket_dir="$state_dir/postgres/socket"
pg_log="$state_dir/postgres/server.log"
pg_password_file="$state_dir/postgres/password"
redis_dir="$state_dir/redis"
db_name="because_future"
db_role="because_future"

log() { echo "services: $*" >&2; }

pg_bin_dir() {
  local initdb
  initdb="$(ls -1d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$initdb" ] && dirname "$initdb"
}

as_postgres() { runuser -u postgres -- "$@"; }

install_missing_packages() {
  local packages=()
  [ -n "$(pg_bin_dir)" ] || packages+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || packages+=(redis-server)
  [ "${#packages[@]}" -eq 0 ] && return
  log "installing ${packages[*]} (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${packages[@]}" >&2
}

postgres_running() {
  [ -f "$pg_data/PG_VERSION" ] && as_postgres "$(pg_bin_dir)/pg_ctl" -D "$pg_data" status >/dev/null 2>&1
}

redis_running() { [ "$(redis-cli -h 127.0.0.1 -p "$redis_port" ping 2>/dev/null)" = "PONG" ]; }

database_url() {
  echo "postgresql://$db_role:$(cat "$pg_password_file")@127.0.0.1:$pg_port/$db_name"
}

start_postgres() {
  local bin
  bin="$(pg_bin_dir)"
  mkdir -p "$state_dir"
  chmod 755 "$state_dir"
  install -d -o postgres -g postgres -m 700 "$state_dir/postgres" "$pg_socket_dir"
  if [ ! -f "$pg_data/PG_VERSION" ]; then
    log "creating a PostgreSQL cluster in $pg_data"
    [ -f "$pg_password_file" ] || (umask 077; head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$pg_password_file")
    chown postgres:postgres "$pg_password_file"
    as_postgres "$bin/initdb" -D "$pg_data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if ! postgres_running; then
    log "starting PostgreSQL on 127.0.0.1:$pg_port"
    as_postgres "$bin/pg_ctl" -D "$pg_data" -l "$pg_log" -w -t 60 start -o "-c listen_addresses=127.0.0.1 \
      -p $pg_port -k $pg_socket_dir -c max_connections=200 -c fsync=off -c synchronous_commit=off \
      -c full_page_writes=off" >/dev/null
  fi
  # The application's role may create databases: the test suite gives every test a fresh one.
  as_postgres psql -q -h "$pg_socket_dir" -p "$pg_port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
    -v role="$db_role" -v password="$(cat "$pg_password_file")" -v db="$db_name" >/dev/null <<'SQL'
SELECT format('CREATE ROLE %I LOGIN CREATEDB', :'role')
  WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
ALTER ROLE :"role" PASSWORD :'password';
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role')
  WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SQL
}

start_redis() {
  redis_running && return
  log "starting Redis on 127.0.0.1:$redis_port"
  mkdir -p "$redis_dir"
  redis-server --bind 127.0.0.1 --port "$redis_port" --dir "$redis_dir" --daemonize yes \
    --pidfile "$redis_dir/redis.pid" --logfile "$redis_dir/server.log" --save "" --appendonly no >&2
  for _ in $(seq 50); do redis_running && return; sleep 0.1; done
  log "Redis did not answer on port $redis_port; see $redis_dir/server.log"
  return 1
}

print_urls() {
  echo "export DATABASE_URL=$(database_url)"
  echo "export REDIS_URL=redis://127.0.0.1:$redis_port/0"
}

case "${1:-start}" in
  start)
    install_missing_packages
    start_postgres
    start_redis
    print_urls
    ;;
  urls)
    if [ -n "$(pg_bin_dir)" ] && postgres_running && command -v redis-cli >/dev/null 2>&1 && redis_running; then
      print_urls
    else
      exit 1
    fi
    ;;
  stop)
    if [ -n "$(pg_bin_dir)" ] && postgres_running; then
      log "stopping PostgreSQL"
      as_postgres "$(pg_bin_dir)/pg_ctl" -D "$pg_data" -m fast -w stop >/dev/null
    fi
    if command -v redis-cli >/dev/null 2>&1 && redis_running; then
      log "stopping Redis"
      redis-cli -h 127.0.0.1 -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
    fi
    ;;
  *)
    echo "usage: $0 [start|urls|stop]" >&2
    exit 2
    ;;
esac
