"""The package layout's rules, read from the source: what may import what, sizes, docstrings.

Each rule is checked on the AST of every module under hotline/ (imports inside functions
count too), so a lazy import cannot hide a dependency or a cycle.
"""

from __future__ import annotations

import ast
import subprocess
import sys

from .conftest import ROOT

PACKAGE = ROOT / "hotline"
PURE = ("hotline.flow", "hotline.texting")
ADAPTERS = ("hotline.state", "hotline.channels")
OUTER = ("hotline.web", "hotline.authoring")
BANNED = {"flask", "redis", "twilio", "werkzeug"}
#: Calls that read the clock: a pure module is given the time, it never asks for it.
CLOCK = {("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today"), ("date", "today"),
         ("time", "time"), ("time", "monotonic"), ("time", "perf_counter"), ("time", "time_ns")}
MAX_LINES = 300


def module_name(path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def imports(name: str) -> list[tuple[str, int]]:
    """(absolute module imported, line) for every import statement of module `name`."""
    tree = ast.parse(MODULES[name].read_text(), str(MODULES[name]))
    here = name if is_package(name) else name.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = here.split(".")[: len(here.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.append((submodule if submodule in MODULES else base, node.lineno))
    return found


def graph() -> dict[str, set[str]]:
    """Module -> the hotline modules it imports (a package's __init__ only when named)."""
    return {name: {target for target, _ in imports(name) if target in MODULES and target != name}
            for name in MODULES}


def inside(name: str, packages) -> bool:
    return any(name == package or name.startswith(package + ".") for package in packages)


def test_imports_are_resolved_to_the_modules_they_name():
    # The rules below are only as good as this reading of the imports.
    assert {"hotline.flow.engine", "hotline.texting.consent", "hotline.state.sessions",
            "hotline.channels.voice", "hotline.web.twilio", "hotline.authoring.checks"} <= set(MODULES)
    assert {"hotline.remembered", "hotline.flow.engine", "hotline.texting.consent", "hotline.channels.messaging",
            "twilio.twiml.messaging_response"} <= {target for target, _ in imports("hotline.service")}
    assert "hotline.texting.segments" in graph()["hotline.authoring.checks.sms"]
    assert "hotline.flow.places" in graph()["hotline.flow.directory_checks"]  # imported inside a function


def test_pure_packages_import_no_flask_redis_or_twilio():
    pure = sorted(name for name in MODULES if inside(name, PURE))
    for name in pure:
        for target, line in imports(name):
            assert target.split(".")[0] not in BANNED, f"{MODULES[name]}:{line} imports {target}"
    # Nor through anything they import: load them all in a fresh interpreter.
    code = f"import sys, {', '.join(pure)}; print(sorted({{m.split('.')[0] for m in sys.modules}} & {BANNED!r}))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.strip() == "[]"


def test_pure_packages_never_read_the_clock():
    for name in (name for name in MODULES if inside(name, PURE)):
        tree = ast.parse(MODULES[name].read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute):
                owner = node.value.attr if isinstance(node.value, ast.Attribute) else getattr(node.value, "id", "")
                assert (owner, node.attr) not in CLOCK, f"{MODULES[name]}:{node.lineno} reads the clock"
            if isinstance(node, ast.ImportFrom) and node.module in ("time", "datetime"):
                names = {(node.module, alias.name) for alias in node.names}
                assert not names & CLOCK and ("time", "time") not in names, f"{MODULES[name]}:{node.lineno}"


def test_state_and_channels_import_nothing_from_web_or_the_tools():
    edges = graph()
    for start in (name for name in MODULES if inside(name, ADAPTERS)):
        seen, todo = set(), [start]
        while todo:
            current = todo.pop()
            for target in edges[current] - seen:
                assert not inside(target, OUTER), f"{start} reaches {target} (through {current})"
                seen.add(target)
                todo.append(target)


def test_no_import_cycles_between_modules():
    edges = graph()
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> None:
        if name in path:
            cycle = path[path.index(name):] + [name]
            raise AssertionError("import cycle: " + " -> ".join(cycle))
        if name in done:
            return
        for target in sorted(edges[name]):
            visit(target, [*path, name])
        done.add(name)

    for name in sorted(edges):
        visit(name, [])


def test_no_module_is_over_300_lines():
    long = {str(path.relative_to(ROOT)): n for path in MODULES.values()
            if (n := len(path.read_text().splitlines())) > MAX_LINES}
    assert long == {}, f"split these where the code has a seam: {long}"


def test_every_package_says_what_it_is_for_and_its_rules():
    for name in (name for name in MODULES if is_package(name)):
        doc = ast.get_docstring(ast.parse(MODULES[name].read_text())) or ""
        purpose, _, rules = doc.partition("\n\n")
        assert len(purpose.split()) >= 5, f"{MODULES[name]}: say what the package is for"
        assert "Rules this" in rules and "\n- " in rules, f"{MODULES[name]}: say the rules it keeps"
