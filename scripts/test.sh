#!/usr/bin/env bash
# Installs the dependencies and runs every test: first on the embedded default (SQLite, in-memory
# rate limits, images on local disk), then again on PostgreSQL + Redis + S3 storage when PostgreSQL
# and Redis are up (`bash scripts/services.sh` starts them; TEST_DATABASE_URL / TEST_REDIS_URL point
# the second pass at other servers; the S3-compatible server is moto's, started by the tests
# themselves on loopback). Extra arguments go to pytest, in both passes.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh requirements-dev.txt
bash scripts/install_test_tools.sh ||  # chromium and newman for tests/docs
  echo "== could not install chromium/newman: tests/docs skips what needs them (CI fails instead)"

database_url="${TEST_DATABASE_URL:-}"
redis_url="${TEST_REDIS_URL:-}"
if [ -z "$database_url" ] && services="$(bash scripts/services.sh urls 2>/dev/null)"; then
  database_url="$(sed -n 's/^export DATABASE_URL=//p' <<<"$services")"
  redis_url="$(sed -n 's/^export REDIS_URL=//p' <<<"$services")"
fi

# Tests pick their backends from TEST_* only (tests/scale/backends.py), never from a developer's shell.
pytest_on() {
  env -u DATABASE_URL -u REDIS_URL TEST_DATABASE_URL="$1" TEST_REDIS_URL="$2" TEST_S3="$3" \
    .venv/bin/python -m pytest "${@:4}"
}

echo "== test pass 1: embedded default (SQLite, in-memory rate limits)"
embedded=0
pytest_on "" "" "" "$@" || embedded=$?
if [ -z "$database_url" ]; then
  echo "== test pass 2 (PostgreSQL + Redis + S3) skipped: no server is running; start them with" \
       "'bash scripts/services.sh' (CI does) and run this again"
  exit "$embedded"
fi
echo "== test pass 2: PostgreSQL + Redis + S3 (${database_url##*@}${redis_url:+, ${redis_url}}, moto on loopback)"
scaled=0
pytest_on "$database_url" "$redis_url" 1 "$@" || scaled=$?
echo "== pass 1 (embedded) exit $embedded, pass 2 (PostgreSQL + Redis + S3) exit $scaled"
[ "$embedded" -eq 0 ] && [ "$scaled" -eq 0 ]
