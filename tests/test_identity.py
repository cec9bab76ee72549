"""Template identity: signed over every _kc field, read as a whole; the key file refused when damaged."""

from __future__ import annotations

import os
import stat

import pytest

from kc_excel.errors import ConfigError
from kc_excel.signing import FAILED, check_identity, legacy_signed_meta, load_key, load_or_create_key, sign_meta
from kc_excel.workbook.layout import REGISTRATION, REGISTRATION_META_KEYS, layout_checksum

KEY = bytes(range(32))


def fields(unit: str = "734", year: int = 2022) -> dict[str, str]:
    return {"loai_bieu": "dang-ky", "phien_ban_mau": "1", "ma_tinh": "75", "ten_tinh": "Tỉnh Đồng Nai",
            "ma_don_vi": unit, "ten_don_vi": "Huyện Tân Phú", "cap_don_vi": "huyen", "nam": str(year),
            "don_vi_tien": "trieu-dong", "ngay_tao": "2021-05-01T08:00:00+00:00",
            "ma_kiem_tra": layout_checksum(REGISTRATION)}


def meta_for(unit: str = "734", year: int = 2022, key: bytes = KEY) -> dict[str, str]:
    meta = fields(unit, year)
    meta.update(sign_meta(meta, key))
    return meta


def test_the_fields_are_the_template_key_set():
    assert set(fields()) == set(REGISTRATION_META_KEYS)


def test_genuine_template_verifies():
    assert check_identity(meta_for(), KEY, claimed_unit="734", claimed_year=2022).outcome == "ok"


def test_old_template_without_identity_is_unsigned():
    assert check_identity({"ma_don_vi": "734"}, KEY).outcome == "unsigned"
    assert check_identity(fields(), KEY).outcome == "unsigned"


def test_signed_file_on_a_machine_without_key_is_unverified():
    assert check_identity(meta_for(), None).outcome == "unverified"


def test_other_centre_key_fails_signature():
    assert check_identity(meta_for(key=b"x" * 32), KEY).outcome == "bad-signature"


@pytest.mark.parametrize("field", [k for k in (*REGISTRATION_META_KEYS, "ma_dinh_danh") if k != "don_vi_tien"])
def test_every_identity_field_is_signed(field):
    meta = meta_for()
    meta[field] += "9"
    assert check_identity(meta, KEY).outcome in FAILED, field


def test_unit_name_of_a_neighbour_breaks_the_signature():
    meta = meta_for()
    meta["ten_don_vi"] = "Huyện Định Quán"
    assert check_identity(meta, KEY).outcome == "bad-signature"


def test_money_unit_changed_to_billions_is_an_altered_identity():
    meta = meta_for()
    meta["don_vi_tien"] = "ty-dong"  # would multiply every amount by 1,000
    result = check_identity(meta, KEY)
    assert result.outcome == "altered" and "ty-dong" in result.detail
    assert check_identity({**fields(), "don_vi_tien": "ty-dong"}, KEY).outcome == "altered"  # unsigned too


@pytest.mark.parametrize("edit, word", [
    (lambda m: m.update({"ma_don_vi_cu": m.pop("ma_don_vi")}), "ma_don_vi"),  # renamed key
    (lambda m: m.pop("ma_don_vi"), "ma_don_vi"),                                # missing key
    (lambda m: m.update({"ma_don_vi#2": "738"}), "ma_don_vi"),                  # repeated key, as the reader keeps it
    (lambda m: m.update({"ghi_chu": "x"}), "ghi_chu"),                          # extra key
])
def test_identity_is_all_or_nothing(edit, word):
    meta = meta_for()
    edit(meta)
    result = check_identity(meta, KEY)
    assert result.outcome == "altered" and word in result.detail


def test_renamed_key_in_an_unsigned_file_is_altered_too():
    meta = fields()
    meta["ma_don_vi_x"] = meta.pop("ma_don_vi")
    assert check_identity(meta, KEY).outcome == "altered"


def test_edited_identity_breaks_signature():
    meta = meta_for("734")
    meta["ma_dinh_danh"] = "dang-ky|75|738|2022"
    assert check_identity(meta, KEY).outcome == "bad-signature"


def test_neighbours_file_submitted_as_own_is_a_mismatch():
    result = check_identity(meta_for("734"), KEY, claimed_unit="738")
    assert result.outcome == "mismatch" and "734" in result.detail


def test_last_years_template_is_a_mismatch():
    assert check_identity(meta_for(year=2021), KEY, claimed_year=2022).outcome == "mismatch"


def test_older_signature_over_the_identity_only_is_legacy():
    meta = {**fields(), **legacy_signed_meta("dang-ky", "75", "734", 2022, KEY)}
    assert check_identity(meta, KEY).outcome == "legacy"
    meta["ma_don_vi"] = "738"
    assert check_identity(meta, KEY).outcome == "mismatch"
    meta["ma_don_vi"], meta["don_vi_tien"] = "734", "ty-dong"  # not covered by the old signature: refused
    assert check_identity(meta, KEY).outcome == "altered"


def test_key_created_once_owner_only(tmp_path):
    assert load_key(tmp_path) is None
    key = load_or_create_key(tmp_path)
    assert len(key) == 32 and load_or_create_key(tmp_path) == key
    mode = stat.S_IMODE(os.stat(tmp_path / "province.key").st_mode)
    assert mode == 0o600


@pytest.mark.parametrize("text", ["not hex", "", "\n", "00ff" * 4])
def test_damaged_key_file_is_refused_with_the_restore_step(tmp_path, text):
    (tmp_path / "province.key").write_text(text)
    with pytest.raises(ConfigError) as raised:
        load_key(tmp_path)
    assert "SECURITY.md" in raised.value.message and "province.key" in raised.value.message
    with pytest.raises(ConfigError):
        load_or_create_key(tmp_path)  # never replaced by a new key either
    assert (tmp_path / "province.key").read_text() == text


def test_older_signature_must_carry_the_catalogue_name_of_its_unit():
    from kc_excel.consolidate.core import ExpectedUnit
    from kc_excel.consolidate.identify import UnitMatcher, verify_template

    matcher = UnitMatcher([ExpectedUnit("734", "Huyện Tân Phú"), ExpectedUnit("738", "Huyện Định Quán")])
    meta = {**fields(), **legacy_signed_meta("dang-ky", "75", "734", 2022, KEY)}
    verdict = verify_template(meta, "DangKy_2022_734.xlsx", matcher, KEY)
    assert verdict.outcome == "legacy" and [i.code for i in verdict.issues] == ["template-signed-legacy"]
    meta["ten_don_vi"] = "Huyện Định Quán"  # not covered by the old signature: checked against the catalogue
    verdict = verify_template(meta, "DangKy_2022_734.xlsx", matcher, KEY)
    assert verdict.outcome == "mismatch" and [i.code for i in verdict.issues] == ["template-identity-mismatch"]
