#!/usr/bin/env bash
# Formats the whole repo and applies ruff's safe fixes (import order, pyupgrade, …): run it on main
# when no branch is waiting to merge, then commit the result on its own. What ruff cannot fix is
# printed at the end; scripts/lint.sh must pass before committing.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh requirements-dev.txt
.venv/bin/ruff check --fix --exit-zero .
.venv/bin/ruff format .
.venv/bin/ruff check .
