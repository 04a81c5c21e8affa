"""Guard tests: context boundaries, one migration head, models matching migrations, complete translations."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine

from kakehashi import i18n_catalog, migrate
from kakehashi.contexts import CONTEXTS, import_all_models
from kakehashi.db import Base

SRC = Path(__file__).parents[1] / "src" / "kakehashi"
SHARED = {"kernel", "web"}
PUBLIC = {"__init__"}


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
            names.extend(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
    return names


def test_contexts_reach_each_other_only_through_their_package_surface() -> None:
    violations = []
    for context in set(CONTEXTS) - SHARED:  # the shell (web) resolves sessions through identity by design
        for path in (SRC / context).rglob("*.py"):
            for name in _imports(path):
                parts = name.split(".")
                if len(parts) < 3 or parts[0] != "kakehashi" or parts[1] in (context, *SHARED):
                    continue
                internal_module = parts[2] not in PUBLIC and (SRC / parts[1] / f"{parts[2]}.py").exists()
                internal_package = (SRC / parts[1] / parts[2]).is_dir()
                if parts[1] in CONTEXTS and (internal_module or internal_package):
                    violations.append(f"{path.relative_to(SRC)} imports {name}")
    assert violations == []


def test_the_migration_history_has_exactly_one_head() -> None:
    assert len(migrate.heads()) == 1


@pytest.mark.parametrize("backend_name", ["sqlite", "postgresql"])
def test_the_migrations_create_exactly_the_tables_the_models_describe(engine_for: object, backend_name: str) -> None:
    import_all_models()
    engine: Engine = engine_for(backend_name)  # type: ignore[operator]
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


@pytest.mark.parametrize("context", ["web", *CONTEXTS])
def test_every_message_has_a_japanese_translation(context: str) -> None:
    assert i18n_catalog.missing(context, "ja") == []
