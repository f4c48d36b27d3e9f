"""Shared paths for the backroads Python tests."""

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SMALL = REPO / "examples" / "data" / "small.json"


@pytest.fixture
def small_path() -> Path:
    return SMALL


@pytest.fixture
def repo() -> Path:
    return REPO


@pytest.fixture
def cli() -> Path:
    """The release CLI: $BACKROADS_BIN (must exist when set, as in CI), else
    <repo>/target/release/backroads (the test is skipped without it)."""
    given = os.environ.get("BACKROADS_BIN")
    if given:
        path = Path(given)
        assert path.is_file(), f"BACKROADS_BIN={given} does not exist"
        return path
    path = REPO / "target" / "release" / "backroads"
    if not path.is_file():
        pytest.skip("no CLI binary: build it with cargo build --release --bin backroads")
    return path
