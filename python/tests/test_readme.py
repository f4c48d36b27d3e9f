"""The README's Python snippets run as written (from the repository root)."""

import importlib.util
import os
import re

import pytest

from conftest import REPO

BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def snippets():
    found = []
    for readme in (REPO / "python" / "README.md", REPO / "README.md"):
        if readme.is_file():
            for i, code in enumerate(BLOCK.findall(readme.read_text(encoding="utf-8"))):
                found.append(pytest.param(code, id=f"{readme.relative_to(REPO)}#{i + 1}"))
    return found


def test_python_readme_has_a_snippet():
    assert any("python/README.md" in p.id for p in snippets())


def ray_missing():
    """True if ray cannot be imported (and run_tests.sh, CI, does not require it)."""
    if os.environ.get("BACKROADS_REQUIRE_RAY") == "1":
        return False
    return importlib.util.find_spec("ray") is None


@pytest.mark.parametrize("code", snippets())
def test_readme_snippet_runs(code, monkeypatch):
    if "import ray" in code and ray_missing():
        pytest.skip("ray is not installed")
    monkeypatch.chdir(REPO)
    exec(compile(code, "README snippet", "exec"), {"__name__": "readme"})
