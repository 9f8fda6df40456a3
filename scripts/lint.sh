#!/usr/bin/env bash
# Lint, format check and type check (settings in pyproject.toml); exits non-zero on any finding.
# .ci/run runs it before the tests; `bash scripts/format_all.sh` fixes what ruff can fix by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh requirements-dev.txt
status=0
echo "== ruff check"
.venv/bin/ruff check --output-format concise . || status=1
echo "== ruff format --check"
.venv/bin/ruff format --check . || status=1
echo "== mypy (strict on the modules pyproject.toml does not list as not yet annotated)"
.venv/bin/mypy || status=1
exit "$status"
