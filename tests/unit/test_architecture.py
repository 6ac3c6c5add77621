"""The structure is checked by a machine: layers one way, Streamlit only at the edge, small
modules and thin pages (issue 11)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

BIN = Path(sys.executable).parent


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "lint-imports"), "--no-cache"],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(cwd), "PATH": str(BIN)},
        timeout=300,
    )


def test_layer_contract_holds():
    run = lint_imports(ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("domain/fmt.py", "from dashboard.store import queries", "Layers point one way"),
        ("store/queries.py", "import streamlit", "Streamlit only at the web edge"),
        ("ingest/derive.py", "from dashboard.ingest import importer", "No import circles"),
    ],
)
def test_layer_contract_fails_on_a_forbidden_import(tmp_path, module, line, contract):
    """The contract is not decoration: one upward, edge or circular import breaks it."""
    shutil.copytree(ROOT / "dashboard", tmp_path / "dashboard")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "dashboard" / module
    target.write_text(target.read_text() + f"\n{line}  # noqa\n")
    run = lint_imports(tmp_path)
    assert run.returncode != 0
    assert f"{contract}" in run.stdout and "BROKEN" in run.stdout


def test_ruff_bans_streamlit_outside_the_edge(tmp_path):
    bad = tmp_path / "dashboard" / "domain" / "x.py"
    bad.parent.mkdir(parents=True)
    bad.write_text("import streamlit\n")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    run = subprocess.run(
        [str(BIN / "ruff"), "check", "--select", "TID251", str(bad)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert run.returncode != 0 and "TID251" in run.stdout


def lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


@pytest.mark.parametrize("path", sorted((ROOT / "dashboard").rglob("*.py")), ids=str)
def test_no_module_over_600_lines(path):
    assert lines(path) <= 600


@pytest.mark.parametrize("path", sorted((ROOT / "pages").glob("*.py")), ids=lambda p: p.name)
def test_every_page_under_120_lines(path):
    assert lines(path) < 120


@pytest.mark.parametrize(
    "path", [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))], ids=lambda p: p.name
)
def test_no_private_streamlit_api(path):
    text = path.read_text(encoding="utf-8")
    assert "streamlit.runtime" not in text and "PagesManager" not in text
