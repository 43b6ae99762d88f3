"""How long the per-model views are: every class defined in a page module of an app (not the
generic family in collab/views.py), its lines from `class` to its last line, docstring included.

    .venv/bin/python bench/view_sizes.py [--over 5] [files...]

Prints each class's length, then the count, the median and the maximum, the number longer than
`--over` lines, and those of them that do not say why (STYLE rule 2: a per-model view is a
declaration of at most 5 lines; a longer one says why it is not, in its docstring or a
comment). No database, no Django: the files are parsed, not imported.
"""

from __future__ import annotations

import argparse
import ast
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FILES = ("partners/views.py", "programs/views/*.py")


def view_classes(path: Path) -> list[tuple[str, int, bool]]:
    """(name, lines, says why) of each top-level view class in `path`: a long view says why it
    is not a declaration, in its docstring or a comment ("…declaration…")."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    return [
        (
            node.name,
            node.end_lineno - node.lineno + 1,
            "declaration" in "\n".join(lines[node.lineno - 1 : node.end_lineno]),
        )
        for node in tree.body
        if isinstance(node, ast.ClassDef) and node.end_lineno is not None and is_view(node)
    ]


def is_view(node: ast.ClassDef) -> bool:
    """A view or a view mixin: a class built on something named `...View` or `...Mixin`
    (dataclasses, query expressions and other helpers of a views module are not)."""
    names = [ast.unparse(base).rsplit(".", 1)[-1] for base in node.bases]
    return any(name.endswith(("View", "Mixin")) for name in names)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", help="files or globs, relative to the project")
    parser.add_argument("--over", type=int, default=5, help="list the views longer than this")
    args = parser.parse_args(argv)
    paths = sorted(
        {path for pattern in (args.files or DEFAULT_FILES) for path in ROOT.glob(pattern)}
    )
    sizes: list[tuple[int, str]] = []
    silent: list[str] = []  # long, and not saying why
    for path in paths:
        for name, lines, says_why in view_classes(path):
            where = f"{path.relative_to(ROOT)}:{name}"
            sizes.append((lines, where))
            if lines > args.over and not says_why:
                silent.append(where)
    if not sizes:
        print("no views found", file=sys.stderr)
        return 1
    for lines, where in sorted(sizes, reverse=True):
        print(f"{lines:4d}  {where}")
    counts = [lines for lines, _ in sizes]
    long = [(lines, where) for lines, where in sizes if lines > args.over]
    print(
        f"views: {len(counts)}, median {statistics.median(counts):g} lines, "
        f"max {max(counts)}, over {args.over}: {len(long)}, over 15: "
        f"{sum(1 for lines in counts if lines > 15)}"
    )
    print(f"over {args.over} without saying why: {', '.join(silent) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
