"""Tasks is generic over its result: mypy checks a callback against the function it follows."""

from __future__ import annotations

from pathlib import Path

import pytest
from mypy import api

ROOT = Path(__file__).resolve().parent.parent

SNIPPET = """
from pakn_desktop.ui.tasks import TaskContext, Tasks

def count() -> int:
    return 1

def counted(found: int) -> None: ...

def shown(text: str) -> None: ...

def steps(ctx: TaskContext) -> int:
    return 2

def use(tasks: Tasks) -> None:
    tasks.read(count, on_result=counted)
    tasks.write(steps, context=True, on_result=counted, key="k")
    tasks.read(count, on_result=shown)  # line 17: an int handed to a str callback
    tasks.write(count, on_result=counted, key=3)  # line 18: a key is a str
"""


def test_a_callback_must_take_what_the_function_returns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)  # mypy finds pakn_desktop (and its cache) from here
    snippet = tmp_path / "use_tasks.py"
    snippet.write_text(SNIPPET, encoding="utf-8")
    # The project's configuration (strict), this one file instead of its list.
    out, err, status = api.run(["--config-file", str(ROOT / "pyproject.toml"), str(snippet)])
    errors = [line for line in out.splitlines() if ": error:" in line]
    assert status == 1, out + err
    assert [line.split(":")[1] for line in errors] == ["17", "18"], out
    assert '"read"' in errors[0] and '"key"' in errors[1]
