"""Every regular expression of the code base runs in time linear in its text (shared/text_patterns.py).

The patterns are discovered, not listed: every module under features/ and shared/ (and app.py,
migrations/) is imported and compile_pattern keeps what it compiled; a static check makes sure no
module compiles a pattern any other way. Each pattern then gets repetitive and adversarial texts of
growing length, and the time at 8n characters must stay within a small multiple of the time at n
(linear: about 8; quadratic: about 64), in CPU time of the thread.
"""

import ast
import importlib
import pkgutil
import re
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import features
import shared
from shared import text_patterns
from shared.text_patterns import UnsupportedPattern, compile_pattern

ROOT = Path(__file__).resolve().parents[2]
SOURCE_DIRS = ("features", "shared", "migrations")
SMALL, LARGE = 1000, 8000
# Linear growth gives about LARGE / SMALL = 8; quadratic about 64. The slack absorbs a shared machine.
MAX_GROWTH = 24
# The shapes that froze the service (issue 14) and the usual suspects of backtracking.
HOSTILE_UNITS = (
    "a-",
    "a",
    "a ",
    "-",
    " ",
    "1% ",
    "cottonx",
    "window.",
    "var a={",
    '"\\',
    "'",
    "`",
    "!",
    "-_",
    '<div class="price">',
    "{{",
    "${",
    "<",
    "a.",
    "10,",
    "1 ",
    "x",
    "\\",
    "é",
    "a:",
    "wolle",
)


def _source_files():
    yield ROOT / "app.py"
    yield ROOT / "config.py"
    for folder in SOURCE_DIRS:
        yield from (ROOT / folder).rglob("*.py")


def _import_everything():
    for package in (features, shared):
        for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            importlib.import_module(module.name)
    for module in ("app", "migrations"):
        importlib.import_module(module)


_import_everything()
PATTERNS = list(text_patterns.REGISTERED)


def test_no_module_compiles_a_pattern_outside_text_patterns():
    offenders = []
    for path in _source_files():
        if path == ROOT / "shared" / "text_patterns.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            offenders += [
                f"{path.relative_to(ROOT)}: {name}"
                for name in names
                if name in ("re", "regex", "sre_compile")
            ]
    assert offenders == []


def test_the_patterns_of_every_feature_are_discovered():
    owners = {pattern.owner for pattern in PATTERNS}
    assert {
        "app",
        "features.garments.extractors.fabric",
        "features.garments.extractors.page",
        "features.fitting.size_charts",
        "features.wardrobe.fields",
        "shared.database",
        "shared.validators",
    } <= owners
    assert len(PATTERNS) >= 100


def test_patterns_that_re2_cannot_run_are_bounded():
    bounded = [pattern for pattern in PATTERNS if pattern.engine != "re2"]
    assert all(pattern.max_input and pattern.max_input <= 10_000 for pattern in bounded)
    with pytest.raises(UnsupportedPattern):
        compile_pattern(r"(?<!to)cart")
    with pytest.raises(UnsupportedPattern):
        compile_pattern(r"(a)\1")
    with pytest.raises(UnsupportedPattern):  # a bound on a pattern that needs none is a mistake too
        compile_pattern(r"cart", max_input=100)


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        (r"(?<![\w])(wool)(?![\w])", "lambswool wool", [(10, 14)]),
        (r"\bcm\b", "5 cm, 5cm, écm", [(2, 4)]),
        (r"(?<=[a-z])(coat)(?![a-z0-9])", "coat raincoat", [(9, 13)]),
        (r"\w+", "größe l'été", [(0, 5), (6, 7), (8, 11)]),
        (r"[^\W\d_]+", "a_1é", [(0, 1), (3, 4)]),
        (r"\s+", "a\u00a0b\u2009c", [(1, 2), (3, 4)]),
        (r"recommend|(?<![a-z])recos?(?![a-z])", "xreco reco-list", [(6, 10)]),
    ],
)
def test_translated_patterns_match_as_python_does(pattern, text, expected):
    compiled = compile_pattern(pattern)
    assert [match.span() for match in compiled.finditer(text)] == expected
    assert [match.span() for match in re.finditer(pattern, text)] == expected


def _alphabet(pattern):
    """The pattern's own literal characters plus a few that often start or end a match."""
    source = pattern.pattern if isinstance(pattern.pattern, str) else pattern.pattern.decode("latin-1")
    literals = {char for char in source if not char.isspace() and char not in "()[]{}?*+|^$\\"}
    return "".join(sorted(literals | set(" a1-.:%\"'<>{\\é_")))


def _work(pattern, text):
    pattern.search(text)
    pattern.match(text)
    for _ in pattern.finditer(text):
        pass


def _seconds(pattern, text, repeats):
    """CPU seconds of this thread (time spent waiting for a busy machine's cores is not counted)."""
    started = time.thread_time()
    for _ in range(repeats):
        _work(pattern, text)
    return time.thread_time() - started


def _growth(pattern, unit, runs):
    """Time at LARGE characters over time at SMALL, best of `runs` interleaved runs of each."""
    small, large = (_text(pattern, unit, SMALL), _text(pattern, unit, LARGE))
    once = _seconds(pattern, small, 1)
    repeats = max(1, int(0.001 / max(once, 1e-7)))
    timings = [(_seconds(pattern, small, repeats), _seconds(pattern, large, repeats)) for _ in range(runs)]
    return min(large for _, large in timings) / max(min(small for small, _ in timings), 1e-7)


def _grows_linearly(pattern, unit):
    """One quick measurement; one that looks slow is measured again, best of five (a busy machine
    can slow any single run)."""
    return _growth(pattern, unit, 1) <= MAX_GROWTH or _growth(pattern, unit, 5) <= MAX_GROWTH


def _text(pattern, unit, length):
    text = (unit * (length // len(unit) + 1))[:length]
    return text.encode("utf-8") if isinstance(pattern.pattern, bytes) else text


def _name(pattern):
    source = pattern.pattern if isinstance(pattern.pattern, str) else pattern.pattern.decode("latin-1")
    return f"{pattern.owner}:{source[:40]}"


@pytest.mark.parametrize("pattern", PATTERNS, ids=_name)
def test_hostile_repetitions_take_linear_time(pattern):
    assert [unit for unit in HOSTILE_UNITS if not _grows_linearly(pattern, unit)] == []


@pytest.mark.parametrize("pattern", PATTERNS, ids=_name)
def test_generated_repetitions_take_linear_time(pattern):
    @settings(max_examples=6, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(unit=st.text(alphabet=_alphabet(pattern), min_size=1, max_size=8))
    def grows_linearly(unit):
        assert _grows_linearly(pattern, unit)

    grows_linearly()
