"""The layer rule of DESIGN.md, as import-linter contracts in pyproject.toml, holds and bites."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _lint_imports(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("lint-imports")
    assert exe.exists(), (
        f"{exe} missing: import-linter is in the dev extra (bash scripts/setup.sh --test)"
    )
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run(
        [str(exe), "--no-cache", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_contracts_hold() -> None:
    done = _lint_imports(ROOT)
    assert done.returncode == 0, f"lint-imports failed:\n{done.stdout}\n{done.stderr}"
    assert " 0 broken" in done.stdout, done.stdout


def _stub_missing_layers(root: Path) -> None:
    """Give every layer named in the contracts a module, so only the probe can break them.

    (A layer that does not exist yet is test_contracts_hold's business, not this test's.)
    """
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    for contract in config["tool"]["importlinter"]["contracts"]:
        for layer in contract.get("layers", []):
            for name in layer.replace("|", " ").replace(":", " ").split():
                parts = name.strip("()").split(".")
                path = root.joinpath(*parts)
                if not path.with_suffix(".py").exists() and not (path / "__init__.py").exists():
                    path.mkdir(parents=True, exist_ok=True)
                    (path / "__init__.py").write_text("", encoding="utf-8")


@pytest.mark.parametrize(
    ("module", "source", "contract"),
    [
        ("domain/_probe.py", "import PySide6.QtCore\n", "Domain is plain Python"),
        ("domain/_probe.py", "import sqlalchemy\n", "Domain is plain Python"),
        ("services/_probe.py", "import pyqtgraph\n", "Core layers import no Qt"),
        ("data/_probe.py", "from pakn_desktop import cli\n", "Layers"),
    ],
)
def test_contracts_catch_a_violation(
    tmp_path: Path, module: str, source: str, contract: str
) -> None:
    """A copy of the package with one forbidden import must make lint-imports fail."""
    shutil.copytree(
        ROOT / "pakn_desktop",
        tmp_path / "pakn_desktop",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    _stub_missing_layers(tmp_path)
    (tmp_path / "pakn_desktop" / module).write_text(source, encoding="utf-8")

    done = _lint_imports(tmp_path)
    output = done.stdout + done.stderr
    assert done.returncode != 0, f"the violation in {module} went unnoticed:\n{output}"
    assert f"{contract}" in output and "BROKEN" in output, output
    probe = "pakn_desktop." + module.removesuffix(".py").replace("/", ".")
    assert probe in output, f"{probe} not named in:\n{output}"
