"""Byte-mutation fuzzing of a genuine registration template (used by test_fuzz.py and `make fuzz`).

Three families of mutants, drawn from a seeded ``random.Random`` so that every
failure is reproducible from its seed and index:

- **raw**: random bytes of the .xlsx flipped, overwritten, inserted, deleted,
  duplicated, or the file truncated (zip headers, CRCs and deflate streams break);
- **xml**: one member of the package decompressed, mutated with random bytes
  and with tokens that parsers find hard (entities, huge numbers and cell
  references, broken tags, odd encodings), then re-zipped correctly, so the
  damage reaches the XML and spreadsheet layers behind the zip checks;
- **zip**: the central directory's declared sizes, counts and name lengths edited.
"""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

TOKENS = [b"<", b">", b"&", b"&amp;", b"&#0;", b"&#xD800;", b'"', b"'", b"</c>", b"<c>", b"<row>", b"</row>",
          b"<!DOCTYPE x>", b'<!ENTITY a "b">', b"<?xml?>", b"\x00", b"\xff\xfe", b"\xc3", b"\xe1\xba",
          b"99999999999999999999", b"-1", b"1e308", b"NaN", b'r="XFD1048576"', b'r="A0"', b'r="ZZZZ1"',
          b't="s"', b't="e"', b't="d"', b't="inlineStr"', b's="999999"', b'ref="A1:XFD1048576"',
          b'count="-5"', b"<f>SUM(A1:XFD1048576)</f>", b"<v>", b"</v>", b"<v>1E+400</v>", b'xml:space="x"',
          b"=cmd|'/C calc'!A0", b"\t", b"\r\n", b" " * 64]
FAMILIES = ("raw", "xml", "zip")


def _mutate_bytes(rng: random.Random, data: bytes, *, tokens: bool) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if not buf:
            break
        at = rng.randrange(len(buf))
        op = rng.randrange(6 if tokens else 5)
        if op == 0:
            buf[at] ^= 1 << rng.randrange(8)
        elif op == 1:
            buf[at] = rng.randrange(256)
        elif op == 2:
            buf[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        elif op == 3:
            del buf[at:at + rng.randint(1, 64)]
        elif op == 4:
            end = min(len(buf), at + rng.randint(1, 256))
            buf[at:at] = buf[at:end]
        else:
            buf[at:at] = rng.choice(TOKENS)
    return bytes(buf)


def raw_mutant(rng: random.Random, template: bytes) -> bytes:
    if rng.random() < 0.1:
        return template[: rng.randrange(len(template))]
    return _mutate_bytes(rng, template, tokens=False)


def xml_mutant(rng: random.Random, template: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(template)) as source:
        members = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    index = rng.randrange(len(members))
    name, data = members[index]
    members[index] = (name, _mutate_bytes(rng, data, tokens=True))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member, content in members:
            target.writestr(member, content)
    return out.getvalue()


def zip_mutant(rng: random.Random, template: bytes) -> bytes:
    """Edit fields of central-directory records (sizes, name length, offsets) and the end record."""
    buf = bytearray(template)
    records = [i for i in range(len(buf) - 4) if buf[i:i + 4] == b"PK\x01\x02"]
    end = buf.rfind(b"PK\x05\x06")
    for _ in range(rng.randint(1, 3)):
        if records and rng.random() < 0.8:
            at = rng.choice(records)
            field, size = rng.choice([(20, 4), (24, 4), (28, 2), (30, 2), (42, 4), (10, 2)])
        elif end >= 0:
            at, (field, size) = end, rng.choice([(8, 2), (10, 2), (12, 4), (16, 4)])
        else:
            break
        value = rng.choice([0, 1, 0xFFFF, 0xFFFFFFFF, rng.randrange(1 << (8 * size))]) & ((1 << (8 * size)) - 1)
        buf[at + field:at + field + size] = value.to_bytes(size, "little")
    return bytes(buf)


MUTATORS = {"raw": raw_mutant, "xml": xml_mutant, "zip": zip_mutant}


def write_mutants(template: Path, out_dir: Path, count: int, seed: int) -> list[tuple[Path, str]]:
    """``count`` mutants of ``template`` in ``out_dir`` as (path, family)."""
    data = template.read_bytes()
    rng = random.Random(seed)
    written = []
    for i in range(count):
        family = FAMILIES[i % len(FAMILIES)]
        path = out_dir / f"mutant-{seed}-{i:05d}-{family}.xlsx"
        path.write_bytes(MUTATORS[family](rng, data))
        written.append((path, family))
    return written


__all__ = ["FAMILIES", "MUTATORS", "write_mutants"]
