"""Rules of the code that no linter here checks: a function fits on a screen. The layering is import-linter's
(pyproject.toml, `make lint`); ruff does the rest."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.support.paths import REPO

pytestmark = pytest.mark.reading  # no database

MAX_LINES = 80
PRODUCTION = ("digitize", "ocr", "forms", "storage")
# Alembic revisions are the schema written out once and never edited after release: data, not logic.
EXEMPT = ("storage/migrations/versions",)


def long_functions(root: Path) -> list[str]:
    found = []
    for package in PRODUCTION:
        for path in sorted((root / package).rglob("*.py")):
            rel = path.relative_to(root).as_posix()
            if rel.startswith(EXEMPT):
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    lines = node.end_lineno - node.lineno + 1
                    if lines > MAX_LINES:
                        found.append(f"{rel}:{node.lineno} {node.name} ({lines} lines)")
    return found


def test_no_production_function_is_longer_than_a_screen():
    assert long_functions(REPO) == []


def test_the_rule_sees_a_long_function(tmp_path):
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_LINES))
    (tmp_path / "forms").mkdir()
    (tmp_path / "forms" / "long.py").write_text(f"def long():\n{body}\n", encoding="utf-8")
    assert long_functions(tmp_path) == [f"forms/long.py:1 long ({MAX_LINES + 1} lines)"]
