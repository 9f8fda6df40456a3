"""SECURITY.md names, for every promise, the tests that fail if it breaks: each name must be a test that exists."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SECURITY = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
REFERENCE = re.compile(r"`(tests/[^`\s]+)`")


def _tests_in(file):
    """'name' of each test function and 'Class::name' of each test method in the file."""
    names = set()
    for node in ast.parse(file.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            names.update(
                f"{node.name}::{item.name}"
                for item in node.body
                if isinstance(item, ast.FunctionDef) and item.name.startswith("test_")
            )
    return names


def _missing(reference):
    path, _, name = reference.partition("::")
    if not (ROOT / path).exists():
        return f"{path} does not exist"
    if name and name not in _tests_in(ROOT / path):
        return f"{path} has no test {name}"
    return None


def test_every_test_security_md_names_exists():
    references = REFERENCE.findall(SECURITY)
    assert len(references) > 50
    assert [problem for reference in references if (problem := _missing(reference))] == []


def test_every_promise_of_the_trust_rounds_names_its_tests():
    """Sections 6 and 7 (issue 14) name each test, not only its file."""
    rounds = SECURITY[SECURITY.index("## 6.") :]
    rows = [line for line in rounds.splitlines() if line.startswith("| (")]
    assert len(rows) > 25
    assert [row[:60] for row in rows if "::" not in row.rsplit("|", 2)[1]] == []
