"""Fixtures of the hostile suite: a province key, a genuine signed template, the CLI in-process."""

from __future__ import annotations

from pathlib import Path

import pytest

from hostile import genuine
from hostile.helpers import run_cli
from kc_excel.identity import load_or_create_key

@pytest.fixture(scope="session", autouse=True)
def _isolated_config(tmp_path_factory) -> Path:
    """A province key and a result cache of our own (never the user's ~/.config or ~/.cache)."""
    config = tmp_path_factory.mktemp("kc-config")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KC_EXCEL_CONFIG", str(config))
        patch.setenv("KC_EXCEL_CACHE_DIR", str(tmp_path_factory.mktemp("kc-cache")))
        patch.setenv("KC_EXCEL_LOCK_TIMEOUT", "2")
        yield config


@pytest.fixture(scope="session")
def province_key(_isolated_config) -> bytes:
    return load_or_create_key(_isolated_config)


@pytest.fixture(scope="session")
def base(tmp_path_factory, province_key) -> Path:
    """A genuine filled and signed registration (the starting point of every hostile file)."""
    return genuine.write_genuine(tmp_path_factory.mktemp("genuine") / "base.xlsx", key=province_key)


@pytest.fixture
def cli():
    return run_cli
