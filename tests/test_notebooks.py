"""Source notebooks are thin, parameterised and committed without outputs."""

import ast
import json

import pytest

from tests.conftest import REPO

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))


def cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def test_notebooks_exist():
    names = [p.name for p in NOTEBOOKS]
    assert {"00-overview.ipynb", "10-team.ipynb", "30-compare.ipynb"} <= set(names)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    for cell in cells(path):
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_parameters_cell_holds_literals_only(path):
    tagged = [c for c in cells(path) if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged 'parameters'"
    tree = ast.parse("".join(tagged[0]["source"]))
    for node in tree.body:
        assert isinstance(node, ast.Assign), ast.dump(node)
        ast.literal_eval(node.value)  # raises unless a literal (papermill injects literals)
    # every parameter is passed through the page's start() or a check_* function next
    following = ast.parse("".join(cells(path)[cells(path).index(tagged[0]) + 1]["source"]))
    checked = {
        arg.id
        for call in ast.walk(following)
        if isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and (call.func.attr == "start" or call.func.attr.startswith("check_"))
        for arg in call.args
        if isinstance(arg, ast.Name)
    }
    assert {n.targets[0].id for n in tree.body} <= checked


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_thin_no_loops_functions_or_classes(path):
    for cell in cells(path):
        if cell["cell_type"] != "code":
            continue
        tree = ast.parse("".join(cell["source"]))
        for node in ast.walk(tree):
            assert not isinstance(
                node,
                ast.For
                | ast.While
                | ast.FunctionDef
                | ast.ClassDef
                | ast.Lambda
                | ast.ListComp
                | ast.DictComp
                | ast.SetComp
                | ast.GeneratorExp,
            ), f"{path.name}: logic belongs in botu ({type(node).__name__})"


def test_team_id_default_is_text():
    team = REPO / "notebooks" / "10-team.ipynb"
    params = next(c for c in cells(team) if "parameters" in c["metadata"].get("tags", []))
    tree = ast.parse("".join(params["source"]))
    values = {n.targets[0].id: n.value.value for n in tree.body}
    assert isinstance(values["team_id"], str)
