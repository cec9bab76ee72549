"""One table from foreign exceptions to kc-excel's errors.

What calamine, the zip, XML and text layers and the operating system raise
on a file we were given becomes the :class:`~kc_excel.errors.FileLevelError`
a user sees (file, what is wrong, what to do); anything else is our bug and
is left to propagate (exit 3). Code that catches such exceptions uses these
tuples and functions instead of its own list::

    OSError on opening             FileNotFoundError → file-not-found; IsADirectoryError,
                                   PermissionError, other → file-unreadable     (opening_error)
    BROKEN_ZIP in the archive      file-corrupt "tệp nén bị hỏng hoặc bị cắt cụt"  (zip_error)
    MemoryError, OverflowError     file-too-large                               (reading_error)
    MALFORMED while reading        file-corrupt "<exception type>: <message>"   (reading_error)
    OSError met by a command       InputError naming the file and what to do   (command_error)

openpyxl raises the same layers' exceptions, plus ``InvalidFileException``
(an unsupported extension); the one module that opens user files with
openpyxl (:mod:`kc_excel.catalog.norms_file`) adds it to :data:`MALFORMED`
there, so that reading a workbook does not import openpyxl.
"""

from __future__ import annotations

import errno
import zipfile
import zlib
from pathlib import Path
from xml.etree import ElementTree
from xml.parsers import expat

from defusedxml import DefusedXmlException
from python_calamine import CalamineError

from kc_excel.errors import FileLevelError, InputError
from kc_excel.workbook.limits import file_error

BROKEN_ZIP: tuple[type[BaseException], ...] = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError,
                                               OSError, ValueError, NotImplementedError)
"""What the zip layer raises on a broken or truncated archive."""
MALFORMED: tuple[type[BaseException], ...] = (CalamineError, *BROKEN_ZIP, ElementTree.ParseError, expat.ExpatError,
                                              DefusedXmlException, KeyError, IndexError, UnicodeError)
"""What calamine, the zip, XML and text layers raise on malformed input."""


def opening_error(path: str | Path, exc: OSError) -> FileLevelError:
    """The file could not be opened or read at all."""
    if isinstance(exc, FileNotFoundError):
        return file_error("file-not-found", path, str(path), str(path))
    if isinstance(exc, IsADirectoryError):
        return file_error("file-unreadable", path, "đây là thư mục, không phải tệp", "a folder, not a file")
    if isinstance(exc, PermissionError):
        return file_error("file-unreadable", path, "không có quyền đọc tệp (tệp đang mở hoặc bị khóa?)",
                          "no permission to read the file (open or locked?)")
    return file_error("file-unreadable", path, f"không mở được tệp: {exc.strerror or exc}",
                      f"cannot open the file: {exc.strerror or exc}")


def zip_error(path: str | Path, exc: BaseException) -> FileLevelError:
    """The file is a zip archive (xlsx, xlsm, ods) that cannot be unpacked."""
    return file_error("file-corrupt", path, f"tệp nén bị hỏng hoặc bị cắt cụt: {exc}",
                      f"broken or truncated zip: {exc}")


def reading_error(path: str | Path, exc: BaseException) -> FileLevelError:
    """An exception met while reading the workbook's content: too large, or malformed."""
    if isinstance(exc, OverflowError):
        return file_error("file-too-large", path, f"quá nhiều dòng: {exc}", f"too many rows: {exc}")
    if isinstance(exc, MemoryError):
        return file_error("file-too-large", path, "cần quá nhiều bộ nhớ", "needs too much memory")
    technical = f"{type(exc).__name__}: {str(exc)[:200]}"  # the library's own words, for whoever fixes the file
    return file_error("file-corrupt", path, f"cấu trúc tệp không đọc được; chi tiết kỹ thuật: {technical}",
                      f"the file's structure cannot be read; technical detail: {technical}")


def command_error(error: OSError) -> InputError:
    """An OS error met while a command read or wrote a file it was told about (exit 2, not our bug)."""
    name = error.filename or ""
    if isinstance(error, FileNotFoundError):
        return InputError(f"Không tìm thấy tệp {name}. Kiểm tra lại tên và thư mục.", path=name or None,
                          code="file-not-found", message_en=f"File not found: {name}. Check the name and the folder.")
    if isinstance(error, PermissionError):
        return InputError(f"Không có quyền đọc/ghi {name}: tệp đang mở trong Excel hoặc thư mục chỉ đọc. "
                          "Đóng tệp hoặc chọn thư mục khác rồi chạy lại.", path=name or None,
                          message_en=f"No permission to read/write {name}: the file is open in Excel or the folder "
                          "is read-only. Close it or choose another folder, then run again.")
    said = _OS_REASONS.get(error.errno or 0) or f"chi tiết kỹ thuật: {error.strerror or error}"
    return InputError(f"Không đọc/ghi được {name}: {said}.", path=name or None,
                      message_en=f"Cannot read/write {name}: {error.strerror or error}.")


_OS_REASONS = {
    errno.ENOTDIR: "một phần của đường dẫn là tệp, không phải thư mục",
    errno.EEXIST: "ở đó đã có một tệp cùng tên, không phải thư mục",
    errno.EISDIR: "đây là thư mục, không phải tệp",
    errno.ENOSPC: "đĩa đầy",
    errno.EROFS: "ổ đĩa chỉ cho đọc",
    errno.ENAMETOOLONG: "tên hoặc đường dẫn quá dài",
}
"""The system's reasons said in Vietnamese (its own words stay in English, and as the technical detail)."""
