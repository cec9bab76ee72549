"""Fixtures of the hostile suite: an isolated config (province key, cache), a genuine signed template."""

from __future__ import annotations

from pathlib import Path

import pytest

from hostile import genuine
from kc_excel.signing import load_or_create_key


@pytest.fixture(scope="package", autouse=True)
def _isolated_config(tmp_path_factory) -> Path:
    """A province key and a result cache of our own (never the user's ~/.config or ~/.cache).

    Package scope: the variables are set only while tests/hostile runs and restored after, so other
    test modules sharing the pytest-xdist worker see the environment they expect.
    """
    config = tmp_path_factory.mktemp("kc-config")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KC_EXCEL_CONFIG", str(config))
        patch.setenv("KC_EXCEL_CACHE_DIR", str(tmp_path_factory.mktemp("kc-cache")))
        patch.setenv("KC_EXCEL_LOCK_TIMEOUT", "2")
        yield config


@pytest.fixture(scope="package")
def province_key(_isolated_config) -> bytes:
    return load_or_create_key(_isolated_config)


@pytest.fixture(scope="package")
def base(tmp_path_factory, province_key) -> Path:
    """A genuine filled and signed registration (the starting point of every hostile file)."""
    return genuine.write_genuine(tmp_path_factory.mktemp("genuine") / "base.xlsx", key=province_key)
