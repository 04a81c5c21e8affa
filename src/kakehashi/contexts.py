"""The bounded contexts, in dependency order, and the optional modules each may provide.

The shell (app factory, CLI, demo loader, migrations) finds a context's `web`, `api`, `cli`, `demo`,
`jobs` and `models` modules here, so a context plugs in by adding a module, not by editing the shell.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from types import ModuleType

CONTEXTS = (
    "kernel", "web", "identity", "registry", "agreement", "exchange", "matchmaking", "talent", "research",
    "cyber", "supplychain", "governance", "ai",
)


def optional_module(context: str, name: str) -> ModuleType | None:
    """`kakehashi.<context>.<name>` if that module exists, else None (import errors still raise)."""
    qualified = f"kakehashi.{context}.{name}"
    if importlib.util.find_spec(qualified) is None:
        return None
    return importlib.import_module(qualified)


def modules(name: str) -> list[tuple[str, ModuleType]]:
    """Every context's `<name>` module, in dependency order."""
    found = []
    for context in CONTEXTS:
        module = optional_module(context, name)
        if module is not None:
            found.append((context, module))
    return found


def import_all_models() -> None:
    """Import every `models` module (also in sub-packages, e.g. matchmaking.recommend) for Base.metadata."""
    importlib.import_module("kakehashi.kernel.audit")
    importlib.import_module("kakehashi.kernel.notifications")
    for context in CONTEXTS:
        package = importlib.import_module(f"kakehashi.{context}")
        for info in pkgutil.walk_packages(package.__path__, prefix=f"kakehashi.{context}."):
            if info.name.rsplit(".", 1)[-1] == "models":
                importlib.import_module(info.name)


def register_log_facts() -> list[str]:
    """Start-up step: register every context's `LOG_FACTS` (its public surface) with the agreement log's verifier.

    Explicit, so `kakehashi log verify` and the app check the same facts whatever was imported before.
    """
    agreement = importlib.import_module("kakehashi.agreement")
    names = []
    for context in CONTEXTS:
        source = getattr(importlib.import_module(f"kakehashi.{context}"), "LOG_FACTS", None)
        if source is not None:
            agreement.register_fact_source(source)
            names.append(context)
    return names
