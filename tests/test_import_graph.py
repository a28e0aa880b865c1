"""Accord's apps build on each other in one direction: no app imports (or links to) one above it.

The graph is read from the code itself: every import statement of every module of Accord's apps
(function-level imports included), tests and migrations left out, and every ``{% url %}``,
``{% include %}`` and ``{% extends %}`` of their templates. An app "builds on" another when it
imports it or uses its templates or URLs. The rules:

- no cycle between apps (``agreements`` → ``partnerships`` → ``agreements`` would tie them together
  for good: the registry in ``core.registry`` is how a lower app shows what a higher one adds);
- ``core`` builds on no app at all (the roles live in ``core.roles``);
- ``partnerships`` (the register) builds on no app that builds on it;
- no app builds on the configuration packages (``accord``, ``benchmarks``), which sit on top.
"""

import ast
import itertools
import re
from collections import defaultdict
from pathlib import Path

import pytest
from django.apps import apps

from tests.world import ACCORD_APPS, PROJECT_DIR

CONFIGURATION = ("accord", "benchmarks")
APP_DIRS = {label: Path(apps.get_app_config(label).path) for label in ACCORD_APPS}
PACKAGES = {label: path.name for label, path in APP_DIRS.items()}
PACKAGE_TO_APP = {package: label for label, package in PACKAGES.items()} | {c: c for c in CONFIGURATION}
TEMPLATE_TAG = re.compile(r"""\{%\s*(url|include|extends)\s+["']([^"']+)["']""")


def _is_code(path, top):
    parts = path.relative_to(top).parts
    return not any(p in ("tests", "migrations") for p in parts) and not path.name.startswith("test_")


def python_modules():
    """(app, path) of every module of Accord's apps and configuration packages, but tests and migrations."""
    for app, package in [*PACKAGES.items(), *((c, c) for c in CONFIGURATION)]:
        top = PROJECT_DIR / package
        for path in sorted(top.rglob("*.py")):
            if _is_code(path, top):
                yield app, path


def imported_packages(path):
    """The top-level package of every absolute import in the module, nested imports included."""
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0]


def template_owners():
    """Which app a template path's first folder, or a URL namespace, belongs to."""
    owners = {}
    for app, path in APP_DIRS.items():
        templates = path / "templates"
        if templates.is_dir():
            for entry in templates.iterdir():
                owners[entry.name] = app
    return owners


def template_references(owners):
    """(app, template, the app it refers to) for every url / include / extends in a template."""
    namespaces = {app: app for app in ACCORD_APPS}
    for app, path in APP_DIRS.items():
        for template in sorted((path / "templates").rglob("*.html")):
            for tag, target in TEMPLATE_TAG.findall(template.read_text()):
                if tag == "url":
                    owner = namespaces.get(target.split(":")[0]) if ":" in target else None
                else:
                    owner = owners.get(target.split("/")[0])
                if owner:
                    yield app, template, owner


def build_graph():
    """{app: {app it builds on: [where]}} from imports and template references."""
    graph = defaultdict(lambda: defaultdict(list))
    for app, path in python_modules():
        for package in imported_packages(path):
            other = PACKAGE_TO_APP.get(package)
            if other and other != app:
                graph[app][other].append(str(path.relative_to(PROJECT_DIR)))
    for app, template, other in template_references(template_owners()):
        if other != app:
            graph[app][other].append(str(template.relative_to(PROJECT_DIR)))
    return graph


@pytest.fixture(scope="module")
def graph():
    return build_graph()


def find_cycle(graph):
    """One cycle of the graph as a list of apps, or None (depth-first search)."""
    state, stack = {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph.get(node, {})):
            if state.get(nxt) == "open":
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def builds_on(graph, app):
    """Every app ``app`` builds on, directly or through others."""
    seen, todo = set(), [app]
    while todo:
        for nxt in graph.get(todo.pop(), {}):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def explain(graph, app, other):
    return f"{app} → {other}: {sorted(set(graph[app][other]))[:5]}"


def test_the_graph_is_read_from_the_code(graph):
    """The reader sees the arrows that must be there, so the rules below cannot pass on an empty graph."""
    assert "partnerships" in graph["agreements"], "agreements/models.py imports partnerships"
    assert "core" in graph["partnerships"]
    assert any(p.endswith(".html") for p in graph["agreements"]["partnerships"]), "templates are read too"
    assert set(ACCORD_APPS) >= {"core", "accounts", "organisations", "partnerships", "agreements", "risks"}


def test_no_cycle_between_apps(graph):
    cycle = find_cycle(graph)
    details = [explain(graph, a, b) for a, b in itertools.pairwise(cycle)] if cycle else []
    assert cycle is None, f"apps import each other in a circle: {' → '.join(cycle)}\n" + "\n".join(details)


def test_core_builds_on_no_app(graph):
    assert not graph["core"], "core imports " + "; ".join(explain(graph, "core", o) for o in graph["core"])


def test_the_register_builds_on_no_app_that_builds_on_it(graph):
    above = {app for app in graph if "partnerships" in builds_on(graph, app)}
    wrong = sorted(above & set(graph["partnerships"]))
    assert not wrong, "; ".join(explain(graph, "partnerships", o) for o in wrong)


@pytest.mark.parametrize("configuration", CONFIGURATION)
def test_no_app_builds_on_the_configuration(graph, configuration):
    users = [app for app in ACCORD_APPS if configuration in graph[app]]
    assert not users, "; ".join(explain(graph, app, configuration) for app in users)


def test_a_cycle_would_be_found():
    """The cycle finder on a made-up graph: agreements ↔ partnerships, as it stood before the registry."""
    made_up = {"agreements": {"partnerships": []}, "partnerships": {"agreements": [], "core": []}, "core": {}}
    assert find_cycle(made_up) in (
        ["agreements", "partnerships", "agreements"],
        ["partnerships", "agreements", "partnerships"],
    )
    assert find_cycle({"agreements": {"partnerships": []}, "partnerships": {"core": []}}) is None
