"""Template identity: each unit's template is bound to its unit and year and signed.

The centre keeps a secret *province key* (in the user's config, never in an
emailed file). A registration template written for unit U of province P for
year Y carries in its hidden ``_kc`` sheet, besides the other identity fields
(:data:`~kc_excel.workbook.layout.REGISTRATION_META_KEYS`: province, unit code
and name, level, year, money unit, template version, creation time...)::

    ma_dinh_danh = "dang-ky|75|734|2022"        (kind|province|unit|year)
    chu_ky       = HMAC-SHA256(key, every _kc key and value but chu_ky), first 32 hex digits

The identity is read as a whole (:func:`altered_keys`): a missing, renamed,
duplicated or extra key, or a money unit other than the template's, is
``altered``. On intake, :func:`check_identity` tells whether the file is what it claims:

- ``ok``: the signature verifies and the identity agrees with the ``_kc``
  fields and with the unit the submission is attributed to;
- ``legacy``: an older template signed over ``ma_dinh_danh`` only (before the
  signature covered every field). Verified for unit, province, kind and year;
  its other fields are checked against what such templates always wrote (the
  money unit ``trieu-dong``; the unit's name by the caller, from the
  catalogue), and it ranks below a fully signed file;
- ``unsigned``: an older template without identity (accepted, with a warning);
- ``unverified``: signed, but this machine has no key to check it;
- ``bad-signature``: a signed field was edited, or the template came from
  another centre (another key);
- ``mismatch``: a genuine template of another unit or year (the common case
  of a commune filling in a neighbour's file and renaming it);
- ``altered``: the ``_kc`` key set is not the template's.

Pure functions: the key is passed in; reading it from disk happens at the
edges (:func:`load_or_create_key`).
"""

from __future__ import annotations

import hmac
import json
import os
import re
import secrets
import unicodedata
from dataclasses import dataclass
from hashlib import sha256
from pathlib import Path
from typing import Literal, Mapping

from kc_excel.errors import ConfigError
from kc_excel.workbook.layout import MONEY_UNIT_DEFAULT, REGISTRATION_META_KEYS, SIGNATURE_KEYS, Meta

SIGNATURE_HEX_DIGITS = 32
KEY_FILE_NAME = "province.key"
MIN_KEY_BYTES = 16
"""A shorter key file (empty, truncated) is refused: signing with it would make every genuine file fail."""
RESTORE_KEY_STEP = "SECURITY.md, mục “Khôi phục khóa của tỉnh”"
SignatureOutcome = Literal["ok", "legacy", "unsigned", "unverified", "bad-signature", "mismatch", "altered"]
FAILED: frozenset[str] = frozenset({"bad-signature", "mismatch", "altered"})
"""Outcomes after which a file is credited to no unit."""
_DUPLICATE = re.compile(r"^(?P<key>.+)#\d+$")
"""How the reader keeps a repeated ``_kc`` key: the second ``ma_don_vi`` is ``ma_don_vi#2``."""


def template_identity(kind: str, province_code: str, unit_code: str, year: int | str) -> str:
    return f"{kind}|{province_code}|{unit_code}|{year}"


def sign(identity: str, key: bytes) -> str:
    return hmac.new(key, identity.encode("utf-8"), sha256).hexdigest()[:SIGNATURE_HEX_DIGITS]


def _value(value: object) -> str:
    return unicodedata.normalize("NFC", "" if value is None else str(value)).strip()


def signed_text(meta: Mapping[str, object]) -> str:
    """What the signature covers: every ``_kc`` key and value but the signature itself, in key order."""
    pairs = sorted((_value(k), _value(v)) for k, v in meta.items() if k != Meta.SIGNATURE)
    return json.dumps(pairs, ensure_ascii=False, separators=(",", ":"))


def sign_meta(entries: Mapping[str, object], key: bytes) -> dict[str, str]:
    """The two ``_kc`` entries a template writer adds to ``entries`` (kind, province, unit, year among them)."""
    identity = template_identity(*(_value(entries.get(k)) for k in
                                   (Meta.KIND, Meta.PROVINCE_CODE, Meta.UNIT_CODE, Meta.YEAR)))
    covered = {**entries, Meta.IDENTITY: identity}
    return {Meta.IDENTITY: identity, Meta.SIGNATURE: sign(signed_text(covered), key)}


def legacy_signed_meta(kind: str, province_code: str, unit_code: str, year: int | str, key: bytes) -> dict[str, str]:
    """The entries of an older template, signed over ``ma_dinh_danh`` only (still readable, see ``legacy``)."""
    identity = template_identity(kind, province_code, unit_code, year)
    return {Meta.IDENTITY: identity, Meta.SIGNATURE: sign(identity, key)}


@dataclass(frozen=True)
class IdentityCheck:
    outcome: SignatureOutcome
    detail: str = ""
    detail_en: str = ""

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"


def altered_keys(meta: Mapping[str, str]) -> tuple[str, str] | None:
    """Why a registration's ``_kc`` is not the template's, (Vietnamese, English); None when it is.

    A repeated or unknown key is always wrong; a missing key when the file is
    signed (an older unsigned form may lack fields); a money unit other than
    ``trieu-dong`` always (the template's headers say triệu đồng).
    """
    keys = set(meta)
    allowed = {*REGISTRATION_META_KEYS, *SIGNATURE_KEYS}
    repeated = sorted({m["key"] for k in keys if (m := _DUPLICATE.match(k)) and m["key"] in keys})
    extra = sorted(k for k in keys - allowed if not ((m := _DUPLICATE.match(k)) and m["key"] in keys))
    missing = sorted(allowed - keys) if keys & set(SIGNATURE_KEYS) else []
    money = _value(meta.get(Meta.MONEY_UNIT))
    vi, en = [], []
    for label_vi, label_en, names in (("khóa lặp lại", "repeated keys", repeated), ("khóa lạ", "unknown keys", extra),
                                      ("thiếu khóa", "missing keys", missing)):
        if names:
            vi.append(f"{label_vi}: {', '.join(names)}")
            en.append(f"{label_en}: {', '.join(names)}")
    if money and money != MONEY_UNIT_DEFAULT:
        vi.append(f"{Meta.MONEY_UNIT} là “{money}”, biểu mẫu ghi “{MONEY_UNIT_DEFAULT}” (tiêu đề cột: triệu đồng)")
        en.append(f"{Meta.MONEY_UNIT} is “{money}”, the template has “{MONEY_UNIT_DEFAULT}”")
    return ("trang _kc bị sửa: " + "; ".join(vi), "_kc was edited: " + "; ".join(en)) if vi else None


def _scheme(meta: Mapping[str, str], identity: str, signature: str, key: bytes) -> int | None:
    """2: signed over every field; 1: an older template signed over its identity only; None: neither."""
    if hmac.compare_digest(sign(signed_text(meta), key), signature):
        return 2
    if hmac.compare_digest(sign(identity, key), signature):
        return 1
    return None


def check_identity(meta: Mapping[str, str], key: bytes | None, *,
                   claimed_unit: str | None = None, claimed_year: int | None = None) -> IdentityCheck:
    """Check a registration's ``_kc`` identity against the key and what it claims to be.

    ``claimed_unit``/``claimed_year`` are what the submission is attributed to
    from outside the signed identity (the file name, the sender); None skips
    that comparison.
    """
    altered = altered_keys(meta)
    if altered is not None:
        return IdentityCheck("altered", *altered)
    identity, signature = _value(meta.get(Meta.IDENTITY)), _value(meta.get(Meta.SIGNATURE))
    if not identity and not signature:
        return IdentityCheck("unsigned", "biểu mẫu không có mã định danh và chữ ký", "no identity or signature")
    if key is None:
        return IdentityCheck("unverified", "máy này không có khóa của tỉnh", "no province key on this machine")
    scheme = _scheme(meta, identity, signature, key)
    parts = identity.split("|")
    if scheme is None or len(parts) != 4:
        return IdentityCheck("bad-signature", f"chữ ký của mã định danh '{identity}' không đúng (trang _kc bị sửa "
                             "hoặc biểu mẫu của nơi khác)", f"the signature of '{identity}' does not verify")
    problem = _disagreement(meta, parts, claimed_unit, claimed_year)
    if problem is not None:
        return IdentityCheck("mismatch", *problem)
    if scheme == 1:
        return IdentityCheck("legacy", "biểu mẫu phiên bản cũ, chữ ký chỉ bao mã định danh",
                             "older template, signed over its identity only")
    return IdentityCheck("ok")


def _disagreement(meta: Mapping[str, str], parts: list[str], claimed_unit: str | None,
                  claimed_year: int | None) -> tuple[str, str] | None:
    kind, province, unit, year = parts
    stated = {"loại biểu": (kind, meta.get(Meta.KIND)), "mã tỉnh": (province, meta.get(Meta.PROVINCE_CODE)),
              "mã đơn vị": (unit, meta.get(Meta.UNIT_CODE)), "năm": (year, meta.get(Meta.YEAR))}
    for label, (signed_value, written) in stated.items():
        if _value(written) != signed_value:
            return (f"{label} trong tệp là '{_value(written)}' nhưng biểu mẫu được cấp cho '{signed_value}'",
                    f"{label}: the file says '{_value(written)}', the template was issued for '{signed_value}'")
    if claimed_unit is not None and claimed_unit != unit:
        return (f"tệp được nộp như của đơn vị {claimed_unit} nhưng biểu mẫu được cấp cho đơn vị {unit}",
                f"the file is submitted as unit {claimed_unit}'s but the template was issued to unit {unit}")
    if claimed_year is not None and str(claimed_year) != year:
        return (f"tệp được nộp cho năm {claimed_year} nhưng biểu mẫu được cấp cho năm {year}",
                f"the file is submitted for {claimed_year} but the template was issued for {year}")
    return None


def load_key(config_dir: Path) -> bytes | None:
    """The province key in ``config_dir`` (see :func:`kc_excel.settings.config_dir`), or None when this
    machine has none yet."""
    path = config_dir / KEY_FILE_NAME
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise ConfigError(f"Không đọc được khóa của tỉnh tại {path}: {error}",
                          message_en=f"Cannot read the province key at {path}: {error}") from error
    try:
        key = bytes.fromhex(text)
    except ValueError as error:
        raise _broken_key(path, "không phải chuỗi hex", "not hexadecimal") from error
    if len(key) < MIN_KEY_BYTES:
        raise _broken_key(path, f"rỗng hoặc quá ngắn ({len(key)} byte, cần ít nhất {MIN_KEY_BYTES})",
                          f"empty or too short ({len(key)} bytes, at least {MIN_KEY_BYTES} needed)")
    return key


def _broken_key(path: Path, why: str, why_en: str) -> ConfigError:
    """A damaged key file is never used to sign or verify (every genuine file would then fail)."""
    return ConfigError(
        f"Tệp khóa ký biểu mẫu {path} bị hỏng: {why}. Không dùng khóa này. Chép lại tệp {KEY_FILE_NAME} từ máy "
        f"của Trung tâm vào {path.parent} (xem {RESTORE_KEY_STEP}); không xóa tệp để tạo khóa mới, vì các biểu "
        f"mẫu đã gửi đi được ký bằng khóa cũ.",
        message_en=f"The template signing key file {path} is damaged: {why_en}. Copy {KEY_FILE_NAME} from the "
                   f"centre's machine into {path.parent} (see SECURITY.md, \"Restoring the province key\"); do "
                   f"not delete it to make a new key: the templates sent out were signed with the old one.")


def load_or_create_key(config_dir: Path) -> bytes:
    """The province key, created (256 random bits, owner-only file) on first use."""
    existing = load_key(config_dir)
    if existing is not None:
        return existing
    directory = config_dir
    directory.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    path = directory / KEY_FILE_NAME
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(key.hex())
    return key
