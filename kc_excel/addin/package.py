"""The OOXML parts of ``kc_excel.xlam`` other than the VBA project, as text.

An Excel add-in is a macro-enabled workbook package whose main part has the
content type ``application/vnd.ms-excel.addin.macroEnabled.main+xml``. Ours
holds one worksheet, ``xlwings.conf`` (xlwings' settings sheet: column A key,
column B value, inline strings), the VBA project ``xl/vbaProject.bin`` and the
ribbon as ``customUI/customUI14.xml``, related from ``_rels/.rels`` with the
Office 2010 extensibility relationship. Nothing here carries a timestamp, so
the package is a pure function of its sources.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

ADDIN_CONTENT_TYPE = "application/vnd.ms-excel.addin.macroEnabled.main+xml"
UI_RELATIONSHIP = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
VBA_RELATIONSHIP = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
_DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

CONTENT_TYPES = _HEAD + (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{ADDIN_CONTENT_TYPE}"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/docProps/core.xml" '
    'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    '</Types>')

ROOT_RELS = _HEAD + (
    f'<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_DOC_REL}/officeDocument" Target="xl/workbook.xml"/>'
    f'<Relationship Id="rId2" Type="{_PKG_REL}/metadata/core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{_DOC_REL}/extended-properties" Target="docProps/app.xml"/>'
    f'<Relationship Id="rIdKcRibbon" Type="{UI_RELATIONSHIP}" Target="customUI/customUI14.xml"/>'
    '</Relationships>')

WORKBOOK_RELS = _HEAD + (
    f'<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_DOC_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_DOC_REL}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rId3" Type="{VBA_RELATIONSHIP}" Target="vbaProject.bin"/>'
    '</Relationships>')

WORKBOOK = _HEAD + (
    f'<workbook xmlns="{_MAIN}" xmlns:r="{_DOC_REL}">'
    '<workbookPr codeName="ThisWorkbook"/>'
    '<bookViews><workbookView/></bookViews>'
    '<sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets>'
    '<calcPr calcId="145621"/>'
    '</workbook>')

STYLES = _HEAD + (
    f'<styleSheet xmlns="{_MAIN}">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '</styleSheet>')

CORE = _HEAD + (
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/">'
    '<dc:title>Khuyến công (kc-excel)</dc:title>'
    '<dc:description>Add-in Khuyến công: công thức KC_* và thẻ ribbon. Tạo bởi kc-excel addin build từ macros/.</dc:description>'
    '</cp:coreProperties>')

APP = _HEAD + (
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    '<Application>Microsoft Excel</Application></Properties>')


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'


def settings_sheet(settings: tuple[tuple[str, str], ...]) -> str:
    """The ``xlwings.conf`` worksheet: one row per setting, key in A, value in B."""
    rows = "".join(f'<row r="{n}">{_cell(f"A{n}", key)}{_cell(f"B{n}", value)}</row>'
                   for n, (key, value) in enumerate(settings, 1))
    last = max(len(settings), 1)
    return _HEAD + (
        f'<worksheet xmlns="{_MAIN}" xmlns:r="{_DOC_REL}">'
        '<sheetPr codeName="Sheet1"/>'
        f'<dimension ref="A1:B{last}"/>'
        '<cols><col min="1" max="1" width="32" customWidth="1"/>'
        '<col min="2" max="2" width="60" customWidth="1"/></cols>'
        f'<sheetData>{rows}</sheetData>'
        '</worksheet>')


def workbook(sheet_name: str) -> str:
    return WORKBOOK.replace("{sheet}", escape(sheet_name, {'"': "&quot;"}))
