"""The Python snippets of the READMEs and of the guide run as written (from the repository root).

Collected from python/README.md (what PyPI shows), README.md and every chapter of the guide
(docs/src/**/*.md); the guide's Python API chapter includes python/README.md's reference through
mdBook's `{{#include}}`, so those snippets run once, from python/README.md.
"""

import importlib.util
import os
import re

import pytest

from conftest import REPO

BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)
INCLUDE = re.compile(r"\{\{#include ([^}:]+)(?::[^}]*)?\}\}")


def sources():
    yield REPO / "python" / "README.md"
    yield REPO / "README.md"
    yield from sorted((REPO / "docs" / "src").rglob("*.md"))


def snippets():
    found = []
    for source in sources():
        if source.is_file():
            for i, code in enumerate(BLOCK.findall(source.read_text(encoding="utf-8"))):
                found.append(pytest.param(code, id=f"{source.relative_to(REPO)}#{i + 1}"))
    return found


def test_python_readme_has_a_snippet():
    assert any(p.id.startswith("python/README.md#") for p in snippets())


def test_guide_python_chapter_has_a_snippet():
    assert any(p.id.startswith("docs/src/python-api.md#") for p in snippets())


def test_guide_includes_resolve():
    """Every file a guide chapter includes exists, so no snippet is lost on the way."""
    chapters = sorted((REPO / "docs" / "src").rglob("*.md"))
    included = []
    for chapter in chapters:
        for target in INCLUDE.findall(chapter.read_text(encoding="utf-8")):
            path = (chapter.parent / target).resolve()
            assert path.is_file(), f"{chapter.relative_to(REPO)} includes {target}"
            included.append(path)
    assert REPO / "python" / "README.md" in included


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
