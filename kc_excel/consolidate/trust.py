"""How far a submitted file is trusted, decided over the whole folder (pure; used by :mod:`.core`).

- :func:`trust_rank`: which version of a unit wins starts with trust, then
  dates: a fully signed file (``ok``) beats an older signed one (``legacy``),
  which beats an unsigned or unverifiable one, whatever their ``ngay_tao``
  (a creation date in 2099 wins nothing);
- :func:`is_discredited`: after ``bad-signature``, ``mismatch`` or
  ``altered`` a file is credited to no unit;
- :func:`key_mismatch`: when every signed file of the folder fails its
  signature, it is this machine's key that differs: one
  ``signing-key-mismatch`` instead of blaming each unit;
- :func:`level_mismatch`: files whose ``_kc.cap_don_vi`` is not the level
  being consolidated, in one ``level-mismatch``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Sequence

from kc_excel.validation.issues import Issue, make_issue

RANKS = {"ok": 2, "legacy": 1}
DISCREDITED = frozenset({"bad-signature", "mismatch", "altered"})
SIGNED = frozenset({"ok", "legacy", "bad-signature", "mismatch"})
"""Outcomes of files whose signature was checked against this machine's key."""
MIN_FILES_FOR_KEY_VERDICT = 2
"""One failing file may be a forgery; two or more, all failing, and none passing, point at the key."""
LEVEL_NAMES = {"xa": ("cấp xã", "commune-level"), "huyen": ("cấp huyện", "district-level")}
NAMED_FILES = 5


def trust_rank(result: Any) -> int:
    return RANKS.get(result.identity, 0)


def is_discredited(result: Any) -> bool:
    return result.identity in DISCREDITED


def key_mismatch(results: Sequence[Any]) -> tuple[list[Any], Issue | None]:
    """(results, issue): when all signed files fail their signature, they become ``unverified``
    (as on a machine without the key) and one issue names the key."""
    signed = [r for r in results if r.identity in SIGNED]
    if len(signed) < MIN_FILES_FOR_KEY_VERDICT or any(r.identity != "bad-signature" for r in signed):
        return list(results), None
    fixed = [replace(r, identity="unverified",
                     issues=tuple(i for i in r.issues if i.code != "template-identity-mismatch"))
             if r.identity == "bad-signature" else r for r in results]
    issue = make_issue("signing-key-mismatch",
                       f"chữ ký của cả {len(signed)} phiếu có chữ ký đều không khớp với khóa trên máy này "
                       f"(máy khác hoặc hồ sơ người dùng đã cài lại)",
                       detail_en=f"the signatures of all {len(signed)} signed files fail against this machine's key "
                                 f"(another machine, or a reinstalled user profile)",
                       sheet="_kc", value=len(signed))
    return fixed, issue


def level_mismatch(results: Sequence[Any], level: str) -> Issue | None:
    """One ``level-mismatch`` naming the files whose stated level is not ``level`` (None: there are none)."""
    if not results:
        return None
    stated = sorted({r.level for r in results})
    names = [r.path for r in results]
    shown = ", ".join(names[:NAMED_FILES]) + (f" và {len(names) - NAMED_FILES} tệp khác" if len(names) > NAMED_FILES else "")
    shown_en = ", ".join(names[:NAMED_FILES]) + (f" and {len(names) - NAMED_FILES} more" if len(names) > NAMED_FILES else "")
    theirs = " và ".join(LEVEL_NAMES.get(s, (s, s))[0] for s in stated)
    theirs_en = " and ".join(LEVEL_NAMES.get(s, (s, s))[1] for s in stated)
    ours, ours_en = LEVEL_NAMES.get(level, (level, level))
    where = {"file": names[0], "sheet": "_kc"} if len(names) == 1 else {}  # one file: the issue is at it
    return make_issue("level-mismatch", f"{len(names)} tệp {theirs} trong đợt tổng hợp {ours}: {shown}",
                      detail_en=f"{len(names)} {theirs_en} file(s) in a {ours_en} consolidation: {shown_en}",
                      value=len(names), **where)


def stated_levels(results: Sequence[Any]) -> set[str]:
    """The levels (``xa``, ``huyen``) that the readable registrations state in ``_kc.cap_don_vi``."""
    return {r.level for r in results if r.read_error is None and r.level in LEVEL_NAMES
            and r.kind in (None, "dang-ky")}
