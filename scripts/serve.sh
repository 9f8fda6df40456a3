#!/usr/bin/env bash
# Installs the dependencies and starts the API on the embedded default
# (SQLite, local disk, in-process queue, local AI model unless GEMINI_API_KEY is set).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh requirements.txt
exec .venv/bin/python app.py
