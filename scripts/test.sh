#!/usr/bin/env bash
# Installs the dependencies and runs every test: first on the embedded default (SQLite, in-memory
# rate limits), then again on PostgreSQL + Redis when they are up (`bash scripts/services.sh` starts
# them; TEST_DATABASE_URL / TEST_REDIS_URL point the second pass at other servers). Extra arguments
# go to pytest, in both passes.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh requirements-dev.txt
bash scripts/install_test_tools.sh  # chromium and newman for tests/docs

database_url="${TEST_DATABASE_URL:-}"
redis_url="${TEST_REDIS_URL:-}"
if [ -z "$database_url" ] && services="$(bash scripts/services.sh urls 2>/dev/null)"; then
  database_url="$(sed -n 's/^export DATABASE_URL=//p' <<<"$services")"
  redis_url="$(sed -n 's/^export REDIS_URL=//p' <<<"$services")"
fi

# Tests pick their backends from TEST_* only (tests/scale/backends.py), never from a developer's shell.
pytest_on() {
  env -u DATABASE_URL -u REDIS_URL TEST_DATABASE_URL="$1" TEST_REDIS_URL="$2" .venv/bin/python -m pytest "${@:3}"
}

echo "== test pass 1: embedded default (SQLite, in-memory rate limits)"
embedded=0
pytest_on "" "" "$@" || embedded=$?
if [ -z "$database_url" ]; then
  echo "== test pass 2 (PostgreSQL + Redis) skipped: no server is running; start them with" \
       "'bash scripts/services.sh' (CI does) and run this again"
  exit "$embedded"
fi
echo "== test pass 2: PostgreSQL + Redis (${database_url##*@}${redis_url:+, ${redis_url}})"
scaled=0
pytest_on "$database_url" "$redis_url" "$@" || scaled=$?
echo "== pass 1 (embedded) exit $embedded, pass 2 (PostgreSQL + Redis) exit $scaled"
[ "$embedded" -eq 0 ] && [ "$scaled" -eq 0 ]
