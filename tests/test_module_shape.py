"""The package's shape (issue 14): no module imports itself back, directly or through others
(a cycle, even through an import inside a function, means two modules are one behaviour split
in two, and the order they load in starts to matter), and no module passes 500 lines."""

from __future__ import annotations

import grimp

PACKAGE = "pakn_desktop"


def cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph.modules):
        if root in index:
            continue
        work: list[tuple[str, list[str]]] = []
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        work.append((root, sorted(graph.find_modules_directly_imported_by(root))))
        while work:
            node, pending = work[-1]
            if pending:
                nxt = pending.pop()
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, sorted(graph.find_modules_directly_imported_by(nxt))))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return found


def test_the_package_has_no_import_cycle() -> None:
    graph = grimp.build_graph(PACKAGE, cache_dir=None)
    assert cycles(graph) == []


def test_a_cycle_is_found() -> None:
    graph = grimp.ImportGraph()
    for name in ("p.a", "p.b", "p.c", "p.d"):
        graph.add_module(name)
    graph.add_import(importer="p.a", imported="p.b")
    graph.add_import(importer="p.b", imported="p.c")
    graph.add_import(importer="p.c", imported="p.a")
    graph.add_import(importer="p.c", imported="p.d")
    assert cycles(graph) == [["p.a", "p.b", "p.c"]]


def test_no_module_passes_500_lines() -> None:
    """Small modules with names that say what they hold (migrations aside: each is one
    step of the schema's history, written once)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / PACKAGE
    long = {
        str(path.relative_to(root)): count
        for path in root.rglob("*.py")
        if "migrations" not in path.parts
        and (count := len(path.read_text(encoding="utf-8").splitlines())) > 500
    }
    assert long == {}


# What a layer above data/ may take from SQLAlchemy: the types a connection or a session is
# passed along as, its errors to classify. Statements (select, insert, text…) are data/'s
# (issue 14, item 5).
ALLOWED_FROM_SQLALCHEMY = {"Connection", "Engine", "exc", "Session", "sessionmaker", "URL"}
ALLOWED_MODULES = ("sqlalchemy", "sqlalchemy.engine", "sqlalchemy.orm")


def test_sql_lives_in_data() -> None:
    """services/, reports/ and ui/ build no SQL and send none: they call data/."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / PACKAGE
    found: list[str] = []
    for layer in ("services", "reports", "ui", "widgets"):
        for path in (root / layer).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            where = str(path.relative_to(root))
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                    "sqlalchemy"
                ):
                    if node.module == "sqlalchemy.exc":
                        continue
                    names = {a.name for a in node.names} - ALLOWED_FROM_SQLALCHEMY
                    if node.module not in ALLOWED_MODULES or names:
                        found.append(f"{where}:{node.lineno} from {node.module} import {names}")
                if isinstance(node, ast.Attribute) and node.attr == "exec_driver_sql":
                    found.append(f"{where}:{node.lineno} exec_driver_sql")
    assert found == []
