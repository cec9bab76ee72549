"""Template identity: signed unit+year binding, detection of neighbours' files and edits."""

from __future__ import annotations

import os
import stat

import pytest

from kc_excel.errors import ConfigError
from kc_excel.identity import check_identity, load_key, load_or_create_key, signed_meta

KEY = bytes(range(32))


def meta_for(unit: str = "734", year: int = 2022, key: bytes = KEY) -> dict[str, str]:
    meta = {"loai_bieu": "dang-ky", "ma_tinh": "75", "ma_don_vi": unit, "nam": str(year)}
    meta.update(signed_meta("dang-ky", "75", unit, year, key))
    return meta


def test_genuine_template_verifies():
    assert check_identity(meta_for(), KEY, claimed_unit="734", claimed_year=2022).outcome == "ok"


def test_old_template_without_identity_is_unsigned():
    assert check_identity({"ma_don_vi": "734"}, KEY).outcome == "unsigned"


def test_other_centre_key_fails_signature():
    assert check_identity(meta_for(key=b"x" * 32), KEY).outcome == "bad-signature"


def test_edited_unit_code_in_kc_is_a_mismatch():
    meta = meta_for("734")
    meta["ma_don_vi"] = "738"  # the neighbour retyped the hidden unit code
    result = check_identity(meta, KEY)
    assert result.outcome == "mismatch" and "738" in result.detail


def test_edited_identity_breaks_signature():
    meta = meta_for("734")
    meta["ma_dinh_danh"] = "dang-ky|75|738|2022"
    assert check_identity(meta, KEY).outcome == "bad-signature"


def test_neighbours_file_submitted_as_own_is_a_mismatch():
    result = check_identity(meta_for("734"), KEY, claimed_unit="738")
    assert result.outcome == "mismatch" and "734" in result.detail


def test_last_years_template_is_a_mismatch():
    assert check_identity(meta_for(year=2021), KEY, claimed_year=2022).outcome == "mismatch"


def test_key_created_once_owner_only(tmp_path):
    assert load_key(tmp_path) is None
    key = load_or_create_key(tmp_path)
    assert len(key) == 32 and load_or_create_key(tmp_path) == key
    mode = stat.S_IMODE(os.stat(tmp_path / "province.key").st_mode)
    assert mode == 0o600


def test_corrupt_key_file_is_a_config_error(tmp_path):
    (tmp_path / "province.key").write_text("not hex")
    with pytest.raises(ConfigError):
        load_key(tmp_path)
