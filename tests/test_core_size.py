"""The core stays small, readable and NumPy-only, and the README says how big it is, truly.

- every update is at most 12 statements, and Adam's is Algorithm 1 as consecutive lines;
- the first algorithm starts near the top of optimizers.py, and each class opens with its equations;
- the core imports nothing but NumPy and the standard library, and adamlab's imports form no cycle;
- the README's sizes are within 10% of the counts.
"""

from __future__ import annotations

import ast
import inspect
import io
import pathlib
import re
import sys
import tokenize

import adamlab

ROOT = pathlib.Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "adamlab"
ALGORITHMS = PACKAGE / "optimizers.py"
ENGINE = [
    "_engine.py",
    "_kernel.py",
    "_tree.py",
    "_checks.py",
    "_files.py",
    "schedules.py",
    "checkpoint.py",
]
UPDATE_BUDGET = 12


def statements(function) -> int:
    """Statements in a function's body (a statement over several lines counts once)."""
    tree = ast.parse(inspect.cleandoc("\n" + inspect.getsource(function)))
    (fn,) = tree.body
    return sum(1 for node in ast.walk(fn) if isinstance(node, ast.stmt)) - 1


def test_every_update_fits_the_budget():
    for name, cls in adamlab.OPTIMIZERS.items():
        n = statements(cls.update)
        assert n <= UPDATE_BUDGET, f"{name}.update has {n} statements (budget {UPDATE_BUDGET})"


def test_adams_update_is_algorithm_1_line_for_line():
    lines = [line.strip() for line in inspect.getsource(adamlab.Adam.update).splitlines()]
    algorithm = [
        r"t = state\.t \+ 1",
        r"m = beta1 \* state\.m \+ \(1 - beta1\) \* g\b",
        r"v = beta2 \* state\.v \+ \(1 - beta2\) \* g\*\*2",
        r"m_hat = m / \(1 - beta1\*\*t\)",
        r"v_hat = v / \(1 - beta2\*\*t\)",
        r"theta = theta - lr \* m_hat / nonzero\(np\.sqrt\(v_hat\) \+ eps\)",
    ]
    first = next(i for i, line in enumerate(lines) if re.match(algorithm[0], line))
    for k, pattern in enumerate(algorithm):
        assert re.match(pattern, lines[first + k]), (pattern, lines[first + k])


def test_algorithms_come_first_and_open_with_their_equations():
    source = ALGORITHMS.read_text().splitlines()
    first_class = next(i for i, line in enumerate(source) if line.startswith("class "))
    assert first_class < 30, "the first algorithm should start near the top of optimizers.py"
    for name, cls in adamlab.OPTIMIZERS.items():
        lines, _ = inspect.getsourcelines(cls)
        math = next(i for i, line in enumerate(lines) if ".. math::" in line)
        assert math <= 8, f"{name}'s equations should open its docstring"
        update = next(i for i, line in enumerate(lines) if "def update(" in line)
        fields = [i for i, line in enumerate(lines) if "= hyperparameter(" in line]
        assert min(fields) < update, name


def imports(path: pathlib.Path, top_level_only: bool) -> set[str]:
    """The modules a file imports; ``from package import submodule`` names the submodule."""
    tree = ast.parse(path.read_text())
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                is_module = (ROOT / sub.replace(".", "/")).with_suffix(".py").exists() or (
                    ROOT / sub.replace(".", "/") / "__init__.py"
                ).exists()
                found.add(sub if is_module else node.module)
    return found


def module_name(path: pathlib.Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_the_core_imports_only_numpy():
    core = {f"adamlab.{name[:-3]}" for name in ["optimizers.py", *ENGINE]}
    stdlib = set(sys.stdlib_module_names)
    for name in ["optimizers.py", *ENGINE]:
        for module in imports(PACKAGE / name, top_level_only=False):
            top = module.split(".")[0]
            assert top in stdlib or top == "numpy" or module in core or module == "adamlab", (
                name,
                module,
            )


def test_no_import_cycle():
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        targets = set()
        for module in imports(path, top_level_only=True):
            while (
                module and module not in modules
            ):  # from adamlab.plot.x import y -> adamlab.plot.x
                module = module.rpartition(".")[0]
            if module and module != name and module != "adamlab":
                targets.add(module)
        graph[name] = targets
    state: dict[str, int] = {}

    def visit(node, path):
        state[node] = 1
        for nxt in graph.get(node, ()):
            if state.get(nxt) == 1:
                raise AssertionError(f"import cycle: {' -> '.join(path + [nxt])}")
            if nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = 2

    for node in graph:
        if node not in state:
            visit(node, [node])


def count(path: pathlib.Path) -> tuple[int, int]:
    """(lines of code, lines of docstrings) of a Python file; comments and blank lines count as neither."""
    source = path.read_text()
    docs = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(
                getattr(first, "value", None), ast.Constant
            ):
                if isinstance(first.value.value, str):
                    docs.update(range(first.lineno, first.end_lineno + 1))
    code = set()
    skip = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT}
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type not in skip and tok.type != tokenize.ENDMARKER:
            code.update(range(tok.start[0], tok.end[0] + 1))
    return len(code - docs), len(docs)


def test_readme_states_the_core_size_truly():
    readme = " ".join((ROOT / "README.md").read_text().split())
    match = re.search(
        r"`adamlab/optimizers\.py`, about ([\d,]+) lines of code and ([\d,]+) lines of docstrings.*?"
        r"engine.*?about ([\d,]+) lines of code and ([\d,]+) of docstrings",
        readme,
        re.S,
    )
    assert match, "README: the sentence that states the core's size"
    stated = [int(x.replace(",", "")) for x in match.groups()]
    algorithms = count(ALGORITHMS)
    engine = [sum(count(PACKAGE / name)[k] for name in ENGINE) for k in (0, 1)]
    for said, actual in zip(stated, [*algorithms, *engine]):
        assert abs(said - actual) <= 0.1 * actual, (stated, [*algorithms, *engine])
    assert f"at most {UPDATE_BUDGET} statements" in readme
