"""docs/ARCHITECTURE.md, held to what it says.

* Every registry entry has its code, its LaTeX, the text the Learn page reads, and its rows in
  the test tables the checklists name.
* The core imports only NumPy, Numba, the standard library (and ``optimizers`` only
  ``landscapes`` besides), in the documented order of layers, never inside a function.
* Every file the page names exists.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

import landscapes
import optimizers
from landscapes import models, surfaces
from optimizers import rules, schedules, sources
from tests import test_engine, test_landscapes, test_optimizers, test_schedules, test_validation

ROOT = Path(__file__).resolve().parent.parent
ARCHITECTURE = (ROOT / "docs" / "ARCHITECTURE.md").read_text()


# --- every entry has its code, its text and its test rows ----------------------------------------


@pytest.mark.parametrize("spec", rules.OPTIMIZERS, ids=lambda spec: spec.name)
def test_every_optimizer_has_its_rule_its_latex_its_learn_text_and_its_test_rows(spec):
    assert spec.whole_step or (spec.rule in rules.RULES and hasattr(spec.rule, "py_func"))
    for text in (spec.title, spec.latex, spec.summary, spec.when_to_use, spec.reference):
        assert text.strip(), spec.name
    assert all(hp.help for hp in spec.hyperparameters), spec.name
    assert spec.name in test_optimizers.TORCH_DEFAULTS, "add torch's defaults to TORCH_DEFAULTS"
    assert spec.name in {row[0] for row in test_optimizers.CONFIGURATIONS}, (
        "add rows to CONFIGURATIONS in tests/test_optimizers.py")
    assert spec.second_order or spec.whole_step or spec.name in {
        **test_optimizers.TORCH_RULES, **test_optimizers.TORCH_VECTOR_RULES}, (
        "add torch's rule to TORCH_RULES (one coordinate) or TORCH_VECTOR_RULES (a rule that "
        "couples them) in tests/test_optimizers.py")
    named = [hp.name for hp in spec.hyperparameters if not hp.boolean] + list(spec.state)
    assert [name for name in named if spec.symbol(name) is None] == [], (
        "give every hyperparameter but a switch, and every state buffer, its LaTeX symbol in "
        "the spec's symbols")
    assert [symbol for symbol, _ in spec.symbols if symbol not in spec.latex] == [], (
        "every symbol in the spec's symbols appears in its latex")


@pytest.mark.parametrize("entry", surfaces.BUILT_IN, ids=lambda entry: entry.name)
def test_every_surface_has_its_math_its_latex_its_text_and_its_test_rows(entry):
    assert hasattr(entry.math, "py_func")
    assert entry.latex.strip() and entry.description.strip() and entry.title.strip()
    assert entry.name in test_landscapes.BUILT_IN_SURFACES, (
        "add the surface to BUILT_IN_SURFACES in tests/test_landscapes.py")
    assert entry.name in test_landscapes.TEXTBOOK_MINIMUM_VALUE, (
        "add its published minimum to TEXTBOOK_MINIMUM_VALUE in tests/test_landscapes.py")


@pytest.mark.parametrize("model", models.MODELS, ids=lambda model: model.name)
def test_every_data_model_has_its_math_its_latex_and_its_text(model):
    assert hasattr(model.example, "py_func")
    assert model.latex.strip() and model.description.strip() and model.title.strip()
    assert model.name in landscapes.data_names()


@pytest.mark.parametrize("spec", schedules.SCHEDULES, ids=lambda spec: spec.name)
def test_every_schedule_has_its_closed_form_its_latex_its_text_and_its_test_rows(spec):
    assert spec.factors is not None or spec is schedules.REDUCE_ON_PLATEAU
    assert spec.latex.strip() and spec.summary.strip() and spec.torch_equivalent.strip()
    tested = {"constant" if s is None else s if isinstance(s, str) else s["name"]
              for s, _ in test_schedules.CLOSED_FORMS} | {"reduce_on_plateau"}
    assert spec.name in tested, "add its closed form to CLOSED_FORMS in tests/test_schedules.py"
    assert spec.name in test_engine.SCHEDULES, "add a row to SCHEDULES in tests/test_engine.py"


@pytest.mark.parametrize("spec", sources.GRADIENT_SOURCES, ids=lambda spec: spec.name)
def test_every_gradient_source_has_its_text_and_its_test_row(spec):
    assert spec.title.strip() and spec.summary.strip()
    assert spec.name in test_engine.GRADIENTS, "add a row to GRADIENTS in tests/test_engine.py"


def test_the_learn_page_reads_the_specs_fields():
    """The Learn page shows an optimizer from its spec: LaTeX, summary, when to use it, the
    hyperparameters' help and allowed values, and the reference."""
    lessons = (ROOT / "ui" / "lessons.py").read_text()
    for field in ("latex", "summary", "when_to_use", "reference", "allowed()", "description"):
        assert re.search(rf"\.{re.escape(field)}", lessons), field


# --- layers ---------------------------------------------------------------------------------------

CORE = ("landscapes", "optimizers")


def _modules():
    """Every core module, as (dotted name, path)."""
    return [(f"{package}.{path.stem}".removesuffix(".__init__"), path)
            for package in CORE for path in sorted((ROOT / package).glob("*.py"))]


def _imports(path: Path):
    """(imported module, inside a function) for every import of the file."""
    tree = ast.parse(path.read_text())
    found = []

    def visit(node, nested):
        for child in ast.iter_child_nodes(node):
            inner = nested or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import):
                found.extend((alias.name, inner) for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.level == 0:
                found.extend((f"{child.module}.{alias.name}", inner) for alias in child.names)
            visit(child, inner)

    visit(tree, False)
    return found


def _documented_order() -> list[str]:
    """The core's modules in the order the page lists its layers."""
    section = ARCHITECTURE.split("Inside the core", 1)[1].split("## Where each fact", 1)[0]
    order = []
    package = None
    for match in re.finditer(r"`((?:landscapes|optimizers)/)?(\w+)\.py`", section):
        package = match.group(1) or package
        order.append(f"{package.rstrip('/')}.{match.group(2)}")
    return order


@pytest.mark.parametrize(("module", "path"), _modules(), ids=lambda value: str(value))
def test_the_core_imports_only_numpy_numba_the_standard_library_and_lower_layers(module, path):
    order = _documented_order()
    for imported, nested in _imports(path):
        top = imported.split(".")[0]
        if top in ("numpy", "numba", "__future__") or top in sys.stdlib_module_names:
            continue
        assert top in CORE, f"{module} imports {imported}"
        assert not (module.startswith("landscapes") and top == "optimizers"), imported
        assert not nested, f"{module} imports {imported} inside a function"
        target = next((m for m in order if imported == m or imported.startswith(m + ".")), None)
        if target is None:  # a package (``from landscapes import kinds``) or a name in it
            target = next((m for m in order if imported.rsplit(".", 1)[0] == m), None)
        if target is None or module.endswith("__init__") or module not in order:
            continue
        assert order.index(target) < order.index(module), (
            f"{module} imports {target}, listed after it in docs/ARCHITECTURE.md")


def test_every_core_module_is_listed_in_its_layer():
    listed = set(_documented_order())
    for module, _ in _modules():
        if not module.endswith("__init__") and module not in ("landscapes", "optimizers"):
            assert module in listed, f"list {module} among the layers in docs/ARCHITECTURE.md"


# --- the UI layer: one job per module, imported in the documented order -----------------------

UI_PURE = ("ui.settings", "ui.configs", "ui.query", "ui.neighbourhoods", "ui.course",
           "ui.classroom")
"""The UI's modules that hold data and text only: no Streamlit, so they are tested alone."""


def _ui_order() -> list[str]:
    """The UI's modules in the order the page lists them."""
    section = ARCHITECTURE.split("Inside `ui/`", 1)[1].split("## Where each fact", 1)[0]
    return [f"ui.{name}" for name in re.findall(r"`ui/(\w+)\.py`", section)]


def test_every_ui_module_is_listed_with_its_job():
    listed = _ui_order()
    for path in sorted((ROOT / "ui").glob("*.py")):
        if path.stem != "__init__":
            assert f"ui.{path.stem}" in listed, (
                f"list ui/{path.name} and its job in docs/ARCHITECTURE.md")
    assert len(set(listed)) == len(listed)


@pytest.mark.parametrize("path", sorted((ROOT / "ui").glob("*.py")), ids=lambda path: path.name)
def test_a_ui_module_imports_only_the_ones_listed_before_it_never_inside_a_function(path):
    order = _ui_order()
    module = f"ui.{path.stem}"
    for imported, nested in _imports(path):
        if imported.split(".")[0] != "ui":
            continue
        assert not nested, f"{module} imports {imported} inside a function"
        target = next(m for m in order if imported == m or imported.startswith(m + "."))
        assert order.index(target) < order.index(module), (
            f"{module} imports {target}, listed after it in docs/ARCHITECTURE.md")


def test_the_ui_modules_of_data_and_text_do_not_import_streamlit():
    code = (f"import sys, {', '.join(UI_PURE)}; "
            "print('streamlit' in {m.split('.')[0] for m in sys.modules})")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, check=True)
    assert done.stdout.strip() == "False"


def test_the_preparation_imports_neither_numba_nor_the_core_so_the_title_shows_first():
    """app.py imports ui.preparation before any page shows its title: importing Numba and
    the core there (~0.4 s CPU) kept the first visitor of a fresh server from the title."""
    code = ("import sys, ui.preparation; "
            "print(sorted({m.split('.')[0] for m in sys.modules} "
            "& {'numba', 'landscapes', 'optimizers'}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, check=True)
    assert done.stdout.strip() == "[]"


# --- the page names only what exists --------------------------------------------------------------


def test_every_file_the_page_names_exists():
    for path in set(re.findall(r"`((?:landscapes|optimizers|tests|ui|figures|pages|benchmarks|"
                               r"docs)/[\w/]+\.\w+)`", ARCHITECTURE)):
        assert (ROOT / path).exists(), path


def test_the_checklists_name_the_tables_that_exist():
    for module, names in (
        (rules, ("OPTIMIZERS", "RULES", "HYPERPARAMETERS")), (surfaces, ("BUILT_IN",)),
        (schedules, ("SCHEDULES",)), (sources, ("GRADIENT_SOURCES",)), (models, ("MODELS",)),
        (test_optimizers, ("TORCH_DEFAULTS", "TORCH_RULES", "TORCH_VECTOR_RULES",
                           "CONFIGURATIONS")),
        (test_validation, ("BAD_INPUTS",)),
        (test_landscapes, ("BUILT_IN_SURFACES", "TEXTBOOK_MINIMUM_VALUE")),
        (test_schedules, ("CLOSED_FORMS", "MOMENTUM_FORMS")),
        (test_engine, ("SCHEDULES", "GRADIENTS")), (test_validation, ("BAD_INPUTS",)),
    ):
        for name in names:
            assert hasattr(module, name) and f"`{name}`" in ARCHITECTURE, name
    assert optimizers.OPTIMIZERS == rules.OPTIMIZERS
