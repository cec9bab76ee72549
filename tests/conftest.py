"""Shared fixtures: paths to the shared spec and corpus, LibreOffice availability."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kc_excel.libreoffice import find_soffice

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "files"
SCHEMAS = SHARED / "spec" / "schemas"
EXAMPLES = ROOT / "workbooks" / "examples"


@pytest.fixture(scope="session")
def soffice() -> str:
    """The soffice path; in CI (CI=true) a missing LibreOffice fails instead of skipping."""
    path = find_soffice()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice (soffice) is required in CI but is not installed")
        pytest.skip("LibreOffice (soffice) not installed: install libreoffice-calc-nogui to run this test")
    return path


@pytest.fixture(scope="session", autouse=True)
def _private_config_and_cache(tmp_path_factory):
    """Tests never read or create the user's real province key or result cache."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KC_EXCEL_CONFIG", str(tmp_path_factory.mktemp("kc-config")))
        patch.setenv("KC_EXCEL_CACHE_DIR", str(tmp_path_factory.mktemp("kc-cache")))
        yield
