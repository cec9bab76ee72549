"""Template identity: each unit's template is bound to its unit and year and signed.

The centre keeps a secret *province key* (in the user's config, never in an
emailed file). A template written for unit U of province P for year Y carries
in its hidden ``_kc`` sheet::

    ma_dinh_danh = "dang-ky|75|734|2022"        (kind|province|unit|year)
    chu_ky       = HMAC-SHA256(key, ma_dinh_danh), first 32 hex digits

On intake, :func:`check_identity` tells whether the file is what it claims:

- ``unsigned``: an older template without identity (accepted, with a warning);
- ``ok``: the signature verifies and the identity agrees with the ``_kc``
  fields and with the unit the submission is attributed to;
- ``bad-signature``: the identity or signature was edited, or the template
  came from another centre (another key);
- ``mismatch``: a genuine template of another unit or year (the common case
  of a commune filling in a neighbour's file and renaming it).

Pure functions: the key is passed in; reading it from disk happens at the
edges (:func:`load_or_create_key`).
"""

from __future__ import annotations

import hmac
import os
import secrets
from dataclasses import dataclass
from hashlib import sha256
from pathlib import Path
from typing import Literal, Mapping

from kc_excel.errors import ConfigError
from kc_excel.workbook.layout import Meta

SIGNATURE_HEX_DIGITS = 32
KEY_FILE_NAME = "province.key"
Outcome = Literal["ok", "unsigned", "bad-signature", "mismatch"]


def template_identity(kind: str, province_code: str, unit_code: str, year: int | str) -> str:
    return f"{kind}|{province_code}|{unit_code}|{year}"


def sign(identity: str, key: bytes) -> str:
    return hmac.new(key, identity.encode("utf-8"), sha256).hexdigest()[:SIGNATURE_HEX_DIGITS]


def signed_meta(kind: str, province_code: str, unit_code: str, year: int | str, key: bytes) -> dict[str, str]:
    """The two ``_kc`` entries a template writer adds."""
    identity = template_identity(kind, province_code, unit_code, year)
    return {Meta.IDENTITY: identity, Meta.SIGNATURE: sign(identity, key)}


@dataclass(frozen=True)
class IdentityCheck:
    outcome: Outcome
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"


def check_identity(meta: Mapping[str, str], key: bytes | None, *,
                   claimed_unit: str | None = None, claimed_year: int | None = None) -> IdentityCheck:
    """Check a workbook's ``_kc`` identity against the key and what it claims to be.

    ``claimed_unit``/``claimed_year`` are what the submission is attributed to
    from outside the signed identity (the file name, the sender); None skips
    that comparison.
    """
    identity, signature = meta.get(Meta.IDENTITY), meta.get(Meta.SIGNATURE)
    if not identity or not signature:
        return IdentityCheck("unsigned", "biểu mẫu không có mã định danh và chữ ký")
    if key is None or not hmac.compare_digest(sign(identity, key), str(signature)):
        return IdentityCheck("bad-signature", f"chữ ký của mã định danh '{identity}' không đúng")
    parts = identity.split("|")
    if len(parts) != 4:
        return IdentityCheck("bad-signature", f"mã định danh '{identity}' sai cấu trúc")
    kind, province, unit, year = parts
    stated = {"loại biểu": (kind, meta.get(Meta.KIND)), "mã tỉnh": (province, meta.get(Meta.PROVINCE_CODE)),
              "mã đơn vị": (unit, meta.get(Meta.UNIT_CODE)), "năm": (year, meta.get(Meta.YEAR))}
    for label, (signed_value, written) in stated.items():
        if written is not None and str(written) != signed_value:
            return IdentityCheck("mismatch", f"{label} trong tệp là '{written}' nhưng biểu mẫu được cấp cho '{signed_value}'")
    if claimed_unit is not None and claimed_unit != unit:
        return IdentityCheck("mismatch", f"tệp được nộp như của đơn vị {claimed_unit} nhưng biểu mẫu được cấp cho đơn vị {unit}")
    if claimed_year is not None and str(claimed_year) != year:
        return IdentityCheck("mismatch", f"tệp được nộp cho năm {claimed_year} nhưng biểu mẫu được cấp cho năm {year}")
    return IdentityCheck("ok")


def default_config_dir() -> Path:
    """``$KC_EXCEL_CONFIG`` or the platform's per-user config folder."""
    override = os.environ.get("KC_EXCEL_CONFIG")
    if override:
        return Path(override)
    if os.name == "nt" and os.environ.get("APPDATA"):
        return Path(os.environ["APPDATA"]) / "kc-excel"
    return Path(os.environ.get("XDG_CONFIG_HOME", Path.home() / ".config")) / "kc-excel"


def load_key(config_dir: Path | None = None) -> bytes | None:
    """The province key, or None when this machine has none yet."""
    path = (config_dir or default_config_dir()) / KEY_FILE_NAME
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise ConfigError(f"Không đọc được khóa của tỉnh tại {path}: {error}") from error
    try:
        return bytes.fromhex(text)
    except ValueError as error:
        raise ConfigError(f"Tệp khóa {path} bị hỏng (không phải chuỗi hex)") from error


def load_or_create_key(config_dir: Path | None = None) -> bytes:
    """The province key, created (256 random bits, owner-only file) on first use."""
    existing = load_key(config_dir)
    if existing is not None:
        return existing
    directory = config_dir or default_config_dir()
    directory.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    path = directory / KEY_FILE_NAME
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(key.hex())
    return key
