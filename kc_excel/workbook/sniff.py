"""Classify a file before any spreadsheet library touches it (cheap, pure Python).

:func:`sniff` looks at the magic bytes (the extension only breaks ties), and
for containers at their directory, and returns the format to parse with
(``xlsx``, ``xlsm``, ``xltx``, ``xls`` or ``ods``) or raises a
:class:`~kc_excel.errors.FileLevelError`:

- ``file-too-large``: too big on disk, or a zip whose members would unpack
  past :attr:`ReadLimits.max_unpacked_bytes` or with a bomb-like ratio, judged
  from the zip directory *before* inflating anything;
- ``file-encrypted``: an OLE2 container holding ``EncryptedPackage`` (password
  protected .xlsx), an .xls with a FILEPASS record (XOR/RC4, asked of
  msoffcrypto-tool), an .ods whose manifest declares encryption;
- ``file-ambiguous``: a zip with two entries of the same name (also when they
  differ only in case): which copy a reader would use is unknown;
- ``file-corrupt``: truncated or garbage containers, zip entries with
  backslash paths, XML parts with a DTD (``<!DOCTYPE``/``<!ENTITY``: entity
  bombs and external entities are refused, never expanded nor fetched);
- ``file-unsupported-format``: .xlsb, BIFF2-4 .xls streams, CSV, flat ODS,
  HTML saved as .xls, plain zips and anything else.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.parsers import expat

import msoffcrypto
import olefile  # a dependency of msoffcrypto-tool
from defusedxml import ElementTree

from kc_excel.errors import FileLevelError
from kc_excel.foreign_errors import BROKEN_ZIP, opening_error, zip_error
from kc_excel.workbook.limits import MB, ReadLimits, file_error

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
BIFF_BOF = (b"\x09\x00", b"\x09\x02", b"\x09\x04")  # BIFF2, BIFF3, BIFF4 bare streams
ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm", ".xls", ".ods")
_OOXML_KIND = {"xlsm": "xlsm", "xltx": "xltx", "xltm": "xlsm"}
_PROLOG_CHUNK = 2048
_PROLOG_MAX = 1 * MB
XML_ENTITY_VI = "tệp chứa khai báo thực thể XML (có thể độc hại)"
XML_ENTITY_EN = "the file declares XML entities (possibly malicious)"


def sniff(path: str | Path, limits: ReadLimits = ReadLimits()) -> str:
    """The format of ``path`` (xlsx, xlsm, xltx, xls, ods) or a FileLevelError."""
    path = Path(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise opening_error(path, exc) from None
    if size > limits.max_file_bytes:
        raise file_error("file-too-large", path, f"{size // MB} MB, tối đa {limits.max_file_bytes // MB} MB",
                         f"{size // MB} MB, at most {limits.max_file_bytes // MB} MB")
    if head.startswith(OLE_MAGIC):
        return _sniff_ole(path)
    if head[:4] in ZIP_MAGIC:
        return _sniff_zip(path, limits)
    if head[:2] in BIFF_BOF:
        raise file_error("file-unsupported-format", path, "tệp Excel 2.x-4.x quá cũ", "Excel 2.x-4.x file")
    if size == 0 and path.suffix.lower() in SPREADSHEET_SUFFIXES:
        raise file_error("file-corrupt", path, "tệp rỗng", "empty file")
    if path.suffix.lower() in SPREADSHEET_SUFFIXES and not _looks_like_text(path):
        raise file_error("file-corrupt", path, "nội dung không phải sổ tính", "the content is not a workbook")
    raise file_error("file-unsupported-format", path, _guess_other(path, head), "not an Excel or ODS workbook")


def _looks_like_text(path: Path) -> bool:
    with path.open("rb") as handle:
        sample = handle.read(4096)
    if sample.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return True
    return b"\x00" not in sample and sum(byte < 9 or 13 < byte < 32 for byte in sample) <= len(sample) // 50


def _guess_other(path: Path, head: bytes) -> str:
    suffix = path.suffix.lower()
    if suffix == ".xlsb":
        return "định dạng .xlsb"
    if suffix in (".csv", ".txt"):
        return "tệp văn bản CSV, không phải sổ tính"
    if suffix == ".fods":
        return "định dạng ODS phẳng (.fods)"
    if head.lstrip().startswith(b"<"):
        return "tệp HTML/XML, không phải sổ tính Excel"
    return "không phải sổ tính Excel hoặc ODS"


# --- OLE2 (compound file): .xls, or an encrypted OOXML package --------------------

def _sniff_ole(path: Path) -> str:
    try:
        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(entry).lower() for entry in ole.listdir(streams=True, storages=False)}
    except Exception as exc:  # olefile raises many kinds on garbage
        raise file_error("file-corrupt", path, f"cấu trúc OLE hỏng: {exc}", f"broken OLE structure: {exc}") from None
    if "encryptedpackage" in streams or "encryptioninfo" in streams:
        raise file_error("file-encrypted", path)
    if "workbook" not in streams and "book" not in streams:
        raise file_error("file-unsupported-format", path, "tệp Office nhưng không phải sổ tính Excel",
                         "an Office file that is not an Excel workbook")
    if _xls_encrypted(path):
        raise file_error("file-encrypted", path)
    return "xls"


def _xls_encrypted(path: Path) -> bool:
    """True when the workbook stream carries a FILEPASS record (XOR or RC4 password)."""
    try:
        with path.open("rb") as handle:
            return bool(msoffcrypto.OfficeFile(handle).is_encrypted())
    except Exception:  # not decidable here: let the parser judge the stream
        return False


# --- zip packages: xlsx family and ods -----------------------------------------

def _sniff_zip(path: Path, limits: ReadLimits) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            _check_entries(path, infos, limits)
            kind = _zip_kind(path, archive)
            if kind == "ods":
                _check_ods_encryption(path, archive)
            for info in infos:
                if info.file_size and _is_xml_part(info.filename):
                    _check_prolog(path, archive, info)
            return kind
    except FileLevelError:
        raise
    except BROKEN_ZIP as exc:
        raise zip_error(path, exc) from None


def _check_entries(path: Path, infos: list[zipfile.ZipInfo], limits: ReadLimits) -> None:
    if len(infos) > limits.max_members:
        raise file_error("file-too-large", path, f"{len(infos)} phần trong tệp nén", f"{len(infos)} zip members")
    seen: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        if "\\" in name:
            raise file_error("file-corrupt", path, f"đường dẫn dùng dấu \\ trong tệp nén: {name}",
                             f"backslash path in the zip: {name}")
        key = name.lower()
        if key in seen:
            raise file_error("file-ambiguous", path, f"phần {name} xuất hiện hai lần", f"part {name} appears twice")
        seen.add(key)
        total += info.file_size
        big = info.file_size > limits.ratio_floor_bytes
        if big and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise file_error("file-too-large", path, f"phần {name} bung ra {info.file_size // MB} MB "
                             f"từ {info.compress_size // 1024} KB", f"part {name} inflates to {info.file_size // MB} MB")
    if total > limits.max_unpacked_bytes:
        raise file_error("file-too-large", path, f"bung ra {total // MB} MB, tối đa {limits.max_unpacked_bytes // MB} MB",
                         f"unpacks to {total // MB} MB, at most {limits.max_unpacked_bytes // MB} MB")


def _zip_kind(path: Path, archive: zipfile.ZipFile) -> str:
    names = set(archive.namelist())
    if not names:
        raise file_error("file-corrupt", path, "tệp nén rỗng", "empty zip")
    if "mimetype" in names or "META-INF/manifest.xml" in names:
        return _opendocument_kind(path, archive, names)
    main = main_part(archive)
    if main is None:
        if any(name.startswith("xl/") for name in names):
            raise file_error("file-corrupt", path, "thiếu phần chính (workbook.xml) của sổ tính",
                             "the main part (workbook.xml) is missing")
        raise file_error("file-unsupported-format", path, "tệp nén .zip, không phải sổ tính", "a plain zip archive")
    if main.lower().endswith(".bin"):
        raise file_error("file-unsupported-format", path, "định dạng .xlsb", ".xlsb format")
    if not main.lower().endswith("workbook.xml"):
        raise file_error("file-unsupported-format", path, "tài liệu Office không phải sổ tính Excel",
                         "an Office document that is not an Excel workbook")
    if main not in names:
        raise file_error("file-corrupt", path, f"thiếu phần {main}", f"part {main} is missing")
    return _OOXML_KIND.get(path.suffix.lower().lstrip("."), "xlsx")


def main_part(archive: zipfile.ZipFile) -> str | None:
    """The package's main part (officeDocument relationship of ``_rels/.rels``), e.g. ``xl/workbook.xml``."""
    try:
        root = ElementTree.fromstring(archive.read("_rels/.rels"))
    except KeyError:
        return "xl/workbook.xml" if "xl/workbook.xml" in archive.namelist() else None
    except ElementTree.ParseError:
        return None
    for rel in root:
        if str(rel.get("Type", "")).endswith("/officeDocument"):
            return str(rel.get("Target", "")).lstrip("/")
    return None


def _opendocument_kind(path: Path, archive: zipfile.ZipFile, names: set[str]) -> str:
    if "mimetype" in names:
        mime = archive.read("mimetype")[:200].strip()
    else:
        mime = ODS_MIME if ODS_MIME in archive.read("META-INF/manifest.xml")[: 4 * MB] else b""
    if mime != ODS_MIME:
        raise file_error("file-unsupported-format", path, "tài liệu OpenDocument không phải bảng tính",
                         "an OpenDocument file that is not a spreadsheet")
    return "ods"


def _check_ods_encryption(path: Path, archive: zipfile.ZipFile) -> None:
    try:
        with archive.open("META-INF/manifest.xml") as part:
            manifest = part.read(4 * MB)
    except KeyError:
        return
    if b"encryption-data" in manifest:
        raise file_error("file-encrypted", path)


def _is_xml_part(name: str) -> bool:
    lowered = name.lower()
    return lowered.endswith((".xml", ".rels", ".vml")) or lowered == "[content_types].xml"


class _RootReached(Exception):
    """Raised by the prolog scanner at the first element: no DTD came before it."""


class _Declaration(Exception):
    """Raised by the prolog scanner at a DOCTYPE or ENTITY declaration."""


def _check_prolog(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Refuse an XML part declaring a DTD; stream only up to its root element."""
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def declaration(*_args: object) -> None:
        raise _Declaration

    def root(*_args: object) -> None:
        raise _RootReached

    parser.StartDoctypeDeclHandler = declaration
    parser.EntityDeclHandler = declaration
    parser.StartElementHandler = root
    read = 0
    try:
        with archive.open(info) as part:
            while read < _PROLOG_MAX:
                chunk = part.read(_PROLOG_CHUNK)
                read += len(chunk)
                parser.Parse(chunk, not chunk)
                if not chunk:
                    return
    except _RootReached:
        return
    except _Declaration:
        raise file_error("file-corrupt", path, f"{XML_ENTITY_VI} trong {info.filename}",
                         f"{XML_ENTITY_EN} in {info.filename}") from None
    except expat.ExpatError as exc:
        raise file_error("file-corrupt", path, f"phần {info.filename} không phải XML hợp lệ: {exc}",
                         f"part {info.filename} is not well-formed XML: {exc}") from None
    raise file_error("file-corrupt", path, f"phần {info.filename} có phần mở đầu quá dài",
                     f"part {info.filename} has an over-long prolog")
