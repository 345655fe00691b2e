"""The tests' layout (issue 15): a test gets its fixtures from tests/conftest.py, the plugins of
tests/fixtures/ or its package's conftest.py, and builds its data with tests/factories/; it never
imports another test module, nor a helper of another package's test directory.

The rule, for every import in every module under tests/ (at the top or inside a function):

- No module imports a test module (`test_*`), not even one of its own package: what two test
  modules share belongs in a helper module or in tests/factories/.
- A module of an app's test package (tests/<app>/, its subpackages included) may import the other
  modules of that package: its helpers.py, samples.py, a constant of its conftest.py. So
  tests/ogc/test_core.py may import tests/ogc/helpers.py, and so may
  tests/traceability/recognised/conftest.py tests/traceability/helpers.py;
  tests/core/storage_contract.py, run by test_files.py and test_files_s3.py, is tests/core's own.
- Every module may import the shared modules of SHARED; nothing else under tests/.
- The shared modules and tests/conftest.py serve every package, so they import only shared
  modules (tests/fixtures/recognition.py may not build on tests/certificates/).

tests/summary.py is not in SHARED: no test imports it, the Makefile runs it on the JUnit reports.
"""

import ast
import importlib.util
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]

# The modules every test module may import, and why they are shared.
SHARED = {
    "tests.factories": "the shared test data: factory-boy factories and builders, one per app",
    "tests.fixtures": "fixture modules of several packages, the pytest_plugins of conftest.py",
    "tests.clients": "the API clients behind the packages' `client_for` fixtures",
    "tests.s3": "the S3 server fixture, a pytest_plugins module of conftest.py",
}


def _module_name(path: Path) -> str:
    parts = ("tests", *path.relative_to(TESTS).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_module(name: str) -> bool:
    """Whether `name` is a module or package under tests/."""
    relative = Path(*name.split(".")[1:])
    return (TESTS / relative).with_suffix(".py").is_file() or (TESTS / relative).is_dir()


def _imports(path: Path):
    """(line, module) of each import of the file, relative ones resolved; `from package import
    module` gives the module."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = importlib.util.resolve_name("." * node.level + (node.module or ""), package)
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                inside = candidate.startswith("tests.") and _is_module(candidate)
                yield node.lineno, candidate if inside else base


def _app(module: str) -> str | None:
    """The app test package a module belongs to ("tests.ogc.helpers" → "ogc"); None for the
    modules at the top of tests/."""
    parts = module.split(".")
    return parts[1] if len(parts) > 2 else None


def _shared(module: str) -> bool:
    return any(module == s or module.startswith(f"{s}.") for s in SHARED)


def violation(importer: str, imported: str) -> str | None:
    """Why `importer` may not import `imported`, or None if it may."""
    if imported != "tests" and not imported.startswith("tests."):
        return None
    if imported.rpartition(".")[2].startswith("test_"):
        return "imports a test module"
    if _shared(imported):
        return None
    own = _app(importer)
    if own is not None and not _shared(importer) and _app(imported) == own:
        return None
    return "imports a module of another package's tests (move what it needs to tests/factories/)"


@pytest.mark.parametrize(
    "importer, imported, allowed",
    [
        ("tests.ogc.test_core", "tests.ogc.helpers", True),
        ("tests.traceability.recognised.conftest", "tests.traceability.helpers", True),
        ("tests.criteria.test_api", "tests.criteria.conftest", True),
        ("tests.security.test_xss", "tests.factories.places", True),
        ("tests.conftest", "tests.s3", True),
        ("tests.fixtures.recognition", "tests.factories.certificates", True),
        ("tests.dossiers.test_workflow_api", "apps.dossiers.models", True),
        ("tests.certificates.test_api", "tests.dossiers.helpers", False),
        ("tests.dossiers.test_officer_pages", "tests.dossiers.test_workflow_api", False),
        ("tests.fixtures.recognition", "tests.certificates.helpers", False),
        ("tests.factories.dossiers", "tests.dossiers.conftest", False),
        ("tests.conftest", "tests.core.samples", False),
    ],
)
def test_the_rule(importer, imported, allowed):
    """The rule itself, so that the walk below cannot pass by finding nothing wrong."""
    assert (violation(importer, imported) is None) is allowed


def test_no_test_imports_another_packages_tests():
    files = sorted(TESTS.rglob("*.py"))
    assert len(files) > 100  # the walk sees the whole tree
    found = []
    for path in files:
        importer = _module_name(path)
        for line, imported in _imports(path):
            if reason := violation(importer, imported):
                found.append(f"{path.relative_to(TESTS.parent)}:{line} {imported}: {reason}")
    assert found == []


def test_the_shared_modules_exist():
    """SHARED names real modules (a rename leaves no stale entry allowing anything)."""
    assert [name for name in SHARED if not _is_module(name)] == []


def test_the_top_conftest_names_real_shared_modules():
    """tests/conftest.py's `pytest_plugins` are shared modules, and each module it registers for
    assert rewriting exists (a moved helper would otherwise silently lose its rewriting)."""
    tree = ast.parse((TESTS / "conftest.py").read_text(encoding="utf-8"))
    plugins, rewritten = [], []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "pytest_plugins" for t in node.targets
        ):
            plugins = [ast.literal_eval(e) for e in node.value.elts]
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", "") == "register_assert_rewrite"
        ):
            rewritten = [ast.literal_eval(a) for a in node.args]
    assert plugins and all(_shared(p) and _is_module(p) for p in plugins), plugins
    assert rewritten and all(_is_module(r) for r in rewritten), rewritten
