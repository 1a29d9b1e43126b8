"""Writes the built module's docstrings into the hand-written stub `_instasent.pyi`.

Editors read a compiled module's documentation from its stub, so the stub carries the same
docstrings as `help()`. They are written once, as `///` comments on the Rust side; this copies
them into the stub, leaving its signatures and comments alone.

    python bindings-python/stubdocs.py           # rewrite the stub
    python bindings-python/stubdocs.py --check   # exit 1 if the stub is out of date (CI)

Run it with the Python that has the freshly built package installed.
"""

import ast
import inspect
import sys
import textwrap
from pathlib import Path
from typing import Any, List, Optional, Tuple

import instasent._instasent as module

STUB = Path(__file__).resolve().parent / "python" / "instasent" / "_instasent.pyi"

# The stub's line width: rustfmt's default, which the Rust sources the docs come from keep.
WIDTH = 100

# Dunder methods whose docstrings are the SDK's own; the rest carry Python's generic ones.
OWN_DUNDERS = {"__enter__", "__exit__"}

# (first line, first column, last line, last column, replacement text), 1-based lines.
Edit = Tuple[int, int, int, int, str]


def runtime_doc(obj: Any) -> Optional[str]:
    doc = getattr(obj, "__doc__", None)
    if not isinstance(doc, str) or not doc.strip():
        return None
    return inspect.cleandoc(doc)


def literal(doc: str, indent: str) -> str:
    """`doc` as a triple-quoted docstring whose continuation lines are indented by `indent`,
    each paragraph filled to the stub's width (the Rust side wraps for its own indentation, and
    a few docs are built from one long string)."""
    text = doc.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    if text.endswith('"'):
        text = text[:-1] + '\\"'
    width = WIDTH - len(indent) - len('"""')
    lines: List[str] = []
    for paragraph in text.split("\n\n"):
        if lines:
            lines.append("")
        rows = paragraph.split("\n")
        # A list keeps its items on lines of their own; prose is filled anew.
        units = rows if any(r.startswith("- ") for r in rows) else [" ".join(rows)]
        for unit in units:
            lines += textwrap.wrap(unit, width, break_long_words=False, break_on_hyphens=False) or [""]
    body = "\n".join([lines[0]] + [(indent + line) if line else "" for line in lines[1:]])
    return f'"""{body}"""'


def is_docstring(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def body_edit(lines: List[str], node: Any, doc: str, replace_body: bool) -> Edit:
    """The edit that makes `doc` the docstring of `node` (a class or a def)."""
    indent = " " * (node.col_offset + 4)
    first = node.body[0]
    text = indent + literal(doc, indent)
    if replace_body or is_docstring(first):
        # The whole body (`...`, or a docstring and `...`) becomes the docstring alone.
        last = node.body[-1] if replace_body else first
        start_line, start_col = first.lineno, first.col_offset
        if lines[start_line - 1][:start_col].strip():
            # `def f() -> T: ...` on one line: the docstring goes on a line of its own.
            prefix = lines[start_line - 1][:start_col].rstrip()
            return (start_line, 0, last.end_lineno, last.end_col_offset, prefix + "\n" + text)
        return (start_line, 0, last.end_lineno, last.end_col_offset, text)
    # A class with members: the docstring goes right under its header, above any comment.
    header_end = node.lineno if lines[node.lineno - 1].rstrip().endswith(":") else first.lineno - 1
    return (header_end + 1, 0, header_end + 1, 0, text + "\n")


def only_ellipsis(node: Any) -> bool:
    rest = node.body[1:] if is_docstring(node.body[0]) else node.body
    return all(
        isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant) and s.value.value is Ellipsis
        for s in rest
    )


def is_overload(node: Any) -> bool:
    # The stub imports it by name: `from typing import overload`.
    return any(isinstance(d, ast.Name) and d.id == "overload" for d in node.decorator_list)


def edits_for(tree: ast.Module, lines: List[str]) -> List[Edit]:
    edits: List[Edit] = []

    def document(node: Any, obj: Any) -> None:
        doc = runtime_doc(obj)
        if doc is None:
            return
        if isinstance(node, ast.ClassDef):
            edits.append(body_edit(lines, node, doc, replace_body=only_ellipsis(node)))
        elif only_ellipsis(node):
            edits.append(body_edit(lines, node, doc, replace_body=True))

    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
            if hasattr(module, node.name):
                document(node, getattr(module, node.name))
        elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            cls = getattr(module, node.name, None)
            if not isinstance(cls, type):
                continue
            document(node, cls)
            seen = set()
            for member in node.body:
                if not isinstance(member, ast.FunctionDef) or member.name in seen:
                    continue
                name = member.name
                if name.startswith("__") and name not in OWN_DUNDERS:
                    continue
                if name.startswith("_") and not name.startswith("__"):
                    continue
                if is_overload(member):
                    # The first overload carries the docstring for all of them.
                    seen.add(name)
                if name in vars(cls):
                    document(member, vars(cls)[name])
    return edits


def apply(source: str, edits: List[Edit]) -> str:
    lines = source.split("\n")
    for start_line, start_col, end_line, end_col, text in sorted(edits, reverse=True):
        head = lines[start_line - 1][:start_col]
        tail = lines[end_line - 1][end_col:]
        lines[start_line - 1 : end_line] = (head + text + tail).split("\n")
    return "\n".join(lines)


def main() -> int:
    check = sys.argv[1:] == ["--check"]
    source = STUB.read_text()
    # Docstrings written earlier are read back as replaceable bodies, so a second run is a no-op.
    updated = apply(source, edits_for(ast.parse(source), source.split("\n")))
    if updated == source:
        return 0
    if check:
        print(
            f"{STUB} lacks the built module's docstrings: run "
            "`bindings-python/.venv/bin/python bindings-python/stubdocs.py`",
            file=sys.stderr,
        )
        return 1
    STUB.write_text(updated)
    return 0


if __name__ == "__main__":
    sys.exit(main())
