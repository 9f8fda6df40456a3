"""Fixtures for the client-developer surface: the API served over real HTTP, a loopback product shop,
and the external tools (newman, schemathesis, Debian's chromium) that talk to them.

A tool that is missing skips its test with the command that installs it, except in CI (CI=true),
where a missing tool is a failure: scripts/install_test_tools.sh must have installed it.
"""

import importlib.util
import os
import shutil
import sys
from pathlib import Path

import pytest

from tests.docs.live_server import LiveServer
from tests.docs.product_shop import ProductShop

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "postman"
NEWMAN = ROOT / "tools" / "node" / "node_modules" / ".bin" / "newman"
SCHEMATHESIS = Path(sys.executable).parent / "st"
CHROMIUM = Path("/usr/bin/chromium")
INSTALL_HINT = "install it with: bash scripts/install_test_tools.sh"


@pytest.fixture
def settings_overrides():
    """The embedded default with the local model and local images (the documented /images URLs, on both test
    passes); the scraper may fetch from the loopback shop."""
    return {"SCRAPER_ALLOW_PRIVATE_NETWORKS": True, "AI_PROVIDER": "local", "STORAGE_BACKEND": "local"}


@pytest.fixture
def live_server(app):
    with LiveServer(app) as server:
        yield server


@pytest.fixture
def product_shop():
    with ProductShop() as shop:
        yield shop


def require_tool(present, what):
    """Skip when a tool is missing on a developer's machine; fail in CI, which must have it."""
    if present:
        return
    message = f"{what} is not installed; {INSTALL_HINT}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def newman():
    require_tool(NEWMAN.exists() and shutil.which("node"), f"newman ({NEWMAN.relative_to(ROOT)})")
    return NEWMAN


@pytest.fixture
def schemathesis_cli():
    require_tool(SCHEMATHESIS.exists(), f"schemathesis ({SCHEMATHESIS})")
    return SCHEMATHESIS


@pytest.fixture
def chromium():
    require_tool(importlib.util.find_spec("playwright") is not None, "playwright (Python package)")
    require_tool(CHROMIUM.exists(), f"Debian's chromium ({CHROMIUM})")
    return CHROMIUM
