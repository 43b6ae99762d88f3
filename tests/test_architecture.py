"""The layering of docs/architecture.md holds: `collab` <- `partners` <- `programs` <- `devdata`.

import-linter checks the imports (inside functions too); collab also names no domain app in its
strings (it learns the rights root, lookups and page sections by registration). settings.py is
the exception: composing the project, it lists the installed apps.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
PACKAGES = ("collab", "partners", "programs", "devdata")
DOMAIN_LABEL = re.compile(r"\b(partners|programs|devdata)(\.[A-Za-z_]|:|$)")


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_import_contract_is_kept():
    result = lint_imports(BASE_DIR)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_the_contract_catches_collab_importing_programs_inside_a_function(tmp_path):
    """The same contract on a copy of the code, with an import that dodges the circle."""
    for package in PACKAGES:
        shutil.copytree(
            BASE_DIR / package,
            tmp_path / package,
            ignore=lambda folder, names: [
                name for name in names if not (name.endswith(".py") or "." not in name)
            ],
        )
    shutil.copy(BASE_DIR / "pyproject.toml", tmp_path / "pyproject.toml")
    views = tmp_path / "collab" / "views.py"
    sneaky = "\n\ndef sneaky():\n    from programs import models\n\n    return models\n"
    views.write_text(views.read_text() + sneaky)
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout
    assert "collab.views -> programs" in result.stdout


def strings_of(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


def test_collab_names_no_domain_app_in_its_strings():
    found = []
    for path in sorted((BASE_DIR / "collab").rglob("*.py")):
        if path.name == "settings.py" or "migrations" in path.parts:
            continue
        for line, text in strings_of(path):
            if DOMAIN_LABEL.search(text) or text in {"partners", "programs", "devdata"}:
                found.append(f"{path.relative_to(BASE_DIR)}:{line}: {text[:60]!r}")
    assert found == []


def test_the_string_check_would_see_a_model_label():
    assert DOMAIN_LABEL.search("programs.Program")
    assert DOMAIN_LABEL.search("partners.partner_list")
    assert not DOMAIN_LABEL.search("collab:program_lookup")
