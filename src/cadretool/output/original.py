"""What the clerk put on the original sheets besides values (SPEC §4.4), read back for the workbook.

Values always come from the roster reader (python-calamine, xlrd); this module reads only the
look of the same file: cell styles (fonts, fills, borders, alignment, number formats),
column widths, row heights, hidden rows and columns, comments, data validation, images,
freeze panes, autofilter and print settings. xlsx/xlsm: openpyxl reads the stylesheet and
everything around the cells from a copy of the package without its cell data, and one scan of
each sheet's XML gives every cell's style number (a full openpyxl load costs ~5x more); xls:
xlrd's formatting records.

Styles are translated once per distinct style into XlsxWriter format properties, so the writer
turns each into a Format once and the fast row path still gets one Format per cell.

Not read: a file that carries nothing to keep (one default style, no widths, merges, comments,
validation, drawings, panes or filters: typical of system exports and generated rosters, which
then cost nothing extra), and any workbook above LOOK_MAX_ROWS rows, written values only with a
note in 汇总.
"""

from __future__ import annotations

import colorsys
import io
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Above county size the clerk's formatting is not read: values only, with a note in 汇总.
LOOK_MAX_ROWS = 20_000
# Worksheet XML beyond this (styled empty rows far below the data) is too slow to load for styles.
LOOK_MAX_SHEET_BYTES = 120 * 1024**2

# XlsxWriter's own defaults: a style with only these is no style at all
_DEFAULT_FONT = ("Calibri", 11.0)
_BORDER_STYLES = {
    "thin": 1,
    "medium": 2,
    "dashed": 3,
    "dotted": 4,
    "thick": 5,
    "double": 6,
    "hair": 7,
    "mediumDashed": 8,
    "dashDot": 9,
    "mediumDashDot": 10,
    "dashDotDot": 11,
    "mediumDashDotDot": 12,
    "slantDashDot": 13,
}
_PATTERNS = {
    "solid": 1,
    "mediumGray": 2,
    "darkGray": 3,
    "lightGray": 4,
    "darkHorizontal": 5,
    "darkVertical": 6,
    "darkDown": 7,
    "darkUp": 8,
    "darkGrid": 9,
    "darkTrellis": 10,
    "lightHorizontal": 11,
    "lightVertical": 12,
    "lightDown": 13,
    "lightUp": 14,
    "lightGrid": 15,
    "lightTrellis": 16,
    "gray125": 17,
    "gray0625": 18,
}
_H_ALIGN = {
    "left": "left",
    "center": "center",
    "right": "right",
    "fill": "fill",
    "justify": "justify",
    "centerContinuous": "center_across",
    "distributed": "distributed",
}
_V_ALIGN = {"top": "top", "center": "vcenter", "bottom": "bottom", "justify": "vjustify", "distributed": "vdistributed"}
_UNDERLINES = {"single": 1, "double": 2, "singleAccounting": 33, "doubleAccounting": 34}
_VALIDATION_TYPES = {
    None: "any",
    "whole": "integer",
    "decimal": "decimal",
    "list": "list",
    "date": "date",
    "time": "time",
    "textLength": "length",
    "custom": "custom",
}
_CRITERIA = {
    None: "between",
    "between": "between",
    "notBetween": "not between",
    "equal": "equal to",
    "notEqual": "not equal to",
    "greaterThan": "greater than",
    "lessThan": "less than",
    "greaterThanOrEqual": "greater than or equal to",
    "lessThanOrEqual": "less than or equal to",
}
# the sheet features that mean "the clerk formatted this": any one and the file's look is read
_HEAD_MARKERS = (b"<cols", b"<pane ", b'customHeight="1"', b"zeroHeight", b"<tabColor", b'showGridLines="0"')
_TAIL_MARKERS = (
    b"<mergeCell ",
    b"<dataValidation",
    b"<drawing ",
    b"<legacyDrawing",
    b"<autoFilter",
    b"<hyperlink ",
    b"<conditionalFormatting",
    b"<pageSetup",
    b"<headerFooter",
)
_ROW_MARKERS = (b'customHeight="1"', b'hidden="1"', b'customFormat="1"')
_CELL_XFS = re.compile(rb"<cellXfs[^>]*count=\"(\d+)\"")
_FIRST_FONT = re.compile(rb"<fonts[^>]*>\s*<font>(.*?)</font>", re.S)


@dataclass
class ColumnLook:
    first: int  # 0-based, inclusive
    last: int
    width: float | None  # in XlsxWriter's set_column() units (characters)
    style: int  # into BookLook.styles; 0 = none
    hidden: bool = False
    level: int = 0


@dataclass
class RowLook:
    height: float | None  # points; None = the sheet's default
    style: int = 0
    hidden: bool = False
    level: int = 0


@dataclass
class ImageLook:
    row: int
    col: int
    data: bytes
    name: str
    options: dict[str, Any]


@dataclass
class ValidationLook:
    ranges: list[tuple[int, int, int, int]]  # 0-based, inclusive
    options: dict[str, Any]  # for XlsxWriter's data_validation()


@dataclass
class SheetLook:
    """One sheet's look; row and column numbers are 0-based like RawSheet.rows."""

    cells: list[list[int]] = field(default_factory=list)  # style number per row and column
    columns: list[ColumnLook] = field(default_factory=list)
    rows: dict[int, RowLook] = field(default_factory=dict)
    default_row_height: float | None = None
    comments: dict[int, dict[int, tuple[str, str]]] = field(default_factory=dict)  # row -> col -> (text, author)
    links: dict[int, dict[int, tuple[str, str]]] = field(default_factory=dict)  # row -> col -> (url, tip)
    validations: list[ValidationLook] = field(default_factory=list)
    images: list[ImageLook] = field(default_factory=list)
    freeze: tuple[int, int] | None = None
    autofilter: tuple[int, int, int, int] | None = None
    paper: int | None = None
    landscape: bool | None = None
    print_gridlines: bool = False
    hide_gridlines: bool = False
    tab_color: str | None = None
    zoom: int | None = None
    # the clerk's printed header and footer by section ("L", "C", "R"), as header/footer codes
    header: dict[str, str] = field(default_factory=dict)
    footer: dict[str, str] = field(default_factory=dict)


@dataclass
class BookLook:
    """The look of one input file: its distinct styles and, by sheet name, each sheet's look."""

    styles: list[dict[str, Any]] = field(default_factory=lambda: [{}])  # XlsxWriter format properties
    sheets: dict[str, SheetLook] = field(default_factory=dict)
    # the workbook's defined names (a dropdown's list, a formula's range): (sheet or None, name, formula)
    names: list[tuple[str | None, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what of the original could not be kept


def keeps_look(file_format: str) -> bool:
    """Whether files of this format can carry formatting worth reading back (xlsx, xls; not csv)."""
    return file_format in ("xlsx", "xls")


def values_only_note(rows: int) -> str | None:
    """Why a workbook of `rows` rows comes back values only, or None when its look is kept."""
    if rows <= LOOK_MAX_ROWS:
        return None
    return (
        f"共 {rows:,} 行，超过 {LOOK_MAX_ROWS:,} 行，原表的格式（字体、边框、列宽、批注等）未保留，"
        "只写回了数值 (values only above county size)"
    )


def read_look(path: Path, file_format: str) -> tuple[BookLook | None, str | None]:
    """The look of an input file, or None and why not (None when there is simply nothing to keep)."""
    if not keeps_look(file_format):
        return None, None
    try:
        if file_format == "xls":
            return _xls_look(path), None
        with zipfile.ZipFile(path) as zf:
            if not _carries_look(zf):
                return None, None
            if sum(i.file_size for i in zf.infolist() if i.filename.startswith("xl/worksheets/")) > (
                LOOK_MAX_SHEET_BYTES
            ):
                return None, f"{path.name}：工作表过大，原表格式未保留，只写回了数值 (values only)"
            return _xlsx_look(path, zf), None
    except Exception as exc:  # noqa: BLE001 - the values are safe; only the formatting is lost
        reason = str(exc).strip().splitlines()[0][:120] if str(exc).strip() else type(exc).__name__
        return None, f"{path.name}：原表格式无法读取（{reason}），只写回了数值 (formatting unreadable)"


def _carries_look(zf: zipfile.ZipFile) -> bool:
    """Whether an xlsx has anything besides values: more than the default style, or any sheet feature."""
    names = zf.namelist()
    if any(n.startswith(("xl/comments", "xl/drawings/", "xl/media/")) for n in names):
        return True
    if "xl/styles.xml" in names:
        styles = zf.read("xl/styles.xml")
        count = _CELL_XFS.search(styles)
        if count is None or int(count.group(1)) > 1:
            return True
        font = _FIRST_FONT.search(styles)
        if font is not None and (b'val="Calibri"' not in font.group(1) or b'<sz val="11"/>' not in font.group(1)):
            return True
    for name in names:
        if name.startswith("xl/worksheets/_rels/"):
            return True  # comments, drawings or links hang off a sheet
    for name in names:
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            data = zf.read(name)
            start, end = data.find(b"<sheetData"), data.rfind(b"</sheetData>")
            start, end = (start, end) if 0 <= start <= end else (len(data), len(data))
            if any(data.find(m, 0, start) >= 0 for m in _HEAD_MARKERS):
                return True
            if any(data.find(m, end) >= 0 for m in _TAIL_MARKERS):
                return True
            if any(data.find(m, start, end) >= 0 for m in _ROW_MARKERS):
                return True
    return False


# ---------------------------------------------------------------- xlsx through openpyxl


def _xlsx_look(path: Path, zf: zipfile.ZipFile) -> BookLook:
    """The look of an xlsx: openpyxl reads the styles and everything around the cells from a copy of
    the package without its cell data; the cells' style numbers come from one scan of each sheet's
    XML, so a formatted county roster costs a fraction of a full openpyxl load."""
    from openpyxl.reader.excel import ExcelReader

    stripped, bodies = _without_cells(zf)
    with warnings.catch_warnings():
        # unsupported extensions (slicers, sparklines, x14 validation) are simply not kept
        warnings.simplefilter("ignore")
        reader = ExcelReader(stripped, keep_links=False, rich_text=False)
        reader.read()
    wb = reader.wb
    parts = {sheet.name: rel.target for sheet, rel in reader.parser.find_sheets()}
    look = BookLook()
    theme = _theme_colours(wb.loaded_theme)
    styles: dict[tuple[int, ...], int] = {}

    def number_of(array: Any) -> int:
        key = tuple(array)
        number = styles.get(key)
        if number is None:
            props = _openpyxl_props(wb, array, theme)
            number = styles[key] = len(look.styles) if props else 0
            if props:
                look.styles.append(props)
        return number

    def style_of(obj: Any) -> int:
        array = getattr(obj, "_style", None)
        return number_of(array) if array is not None else 0

    xf_numbers: dict[int, int] = {}

    def xf_number(xf: int) -> int:
        number = xf_numbers.get(xf)
        if number is None:
            cell_styles = wb._cell_styles
            number = xf_numbers[xf] = number_of(cell_styles[xf]) if 0 <= xf < len(cell_styles) else 0
        return number

    lost: set[str] = set()
    look.names = _defined_names(wb)
    for ws in wb.worksheets:
        sheet = SheetLook()
        look.sheets[ws.title] = sheet
        body = bodies.pop(parts.get(ws.title, ""), None)
        if body is not None:
            sheet.cells, sheet.rows = _scan_cells(body, xf_number)
        else:  # a sheet openpyxl read whole (its cell data in a form the scan does not take)
            sheet.cells = _openpyxl_cells(ws, style_of)
            for r, rd in ws.row_dimensions.items():
                style = style_of(rd) if rd.has_style else 0
                if rd.ht is not None or style or rd.hidden or rd.outlineLevel:
                    sheet.rows[r - 1] = RowLook(rd.ht, style, bool(rd.hidden), int(rd.outlineLevel or 0))
        for (r, c), cell in ws._cells.items():
            comment = cell.comment
            if comment is not None and comment.text:
                sheet.comments.setdefault(r - 1, {})[c - 1] = (comment.text, comment.author or "")
            link = cell.hyperlink
            url = (link.target or (f"internal:{link.location}" if link.location else "")) if link is not None else ""
            if url:
                sheet.links.setdefault(r - 1, {})[c - 1] = (url, link.tooltip or "")
        for cd in ws.column_dimensions.values():
            if cd.min is None or cd.max is None:
                continue
            width = _user_width(cd.width) if cd.width else None
            sheet.columns.append(
                ColumnLook(
                    cd.min - 1,
                    min(cd.max, 16384) - 1,
                    width,
                    style_of(cd) if cd.has_style else 0,
                    bool(cd.hidden),
                    int(cd.outlineLevel or 0),
                )
            )
        fmt = ws.sheet_format
        if fmt.customHeight and fmt.defaultRowHeight:
            sheet.default_row_height = float(fmt.defaultRowHeight)
        if ws.freeze_panes:
            cell = ws[ws.freeze_panes]
            sheet.freeze = (cell.row - 1, cell.column - 1)
        if ws.auto_filter.ref:
            sheet.autofilter = _bounds(ws.auto_filter.ref)
        setup = ws.page_setup
        if setup.paperSize:
            sheet.paper = int(setup.paperSize)
        if setup.orientation in ("landscape", "portrait"):
            sheet.landscape = setup.orientation == "landscape"
        sheet.print_gridlines = bool(ws.print_options.gridLines)
        sheet.header, sheet.footer = _sections(ws.oddHeader), _sections(ws.oddFooter)
        view = ws.sheet_view
        sheet.hide_gridlines = view.showGridLines is False
        if view.zoomScale and view.zoomScale != 100:
            sheet.zoom = int(view.zoomScale)
        if ws.sheet_properties.tabColor is not None:
            sheet.tab_color = _colour(ws.sheet_properties.tabColor, theme)
        try:
            sheet.validations = [v for v in (_validation(dv) for dv in ws.data_validations.dataValidation) if v]
        except Exception:  # noqa: BLE001 - an odd rule costs the dropdowns, not the rest of the look
            lost.add("下拉选项")
        try:
            sheet.images = _images(zf, ws, sheet)
        except Exception:  # noqa: BLE001 - likewise a drawing openpyxl cannot parse
            lost.add("图片")
        if ws._charts:
            lost.add("图表")
        if ws.conditional_formatting:
            lost.add("条件格式")
    if lost:
        look.notes.append(f"{path.name}：原表中的{'、'.join(sorted(lost))}未能保留 (not carried over)")
    wb.close()
    return look


def _sections(item: Any) -> dict[str, str]:
    """A header or footer's non-empty sections as codes (font, size, colour and text); pictures (&G)
    are not carried."""
    out = {}
    for key, part in (("L", item.left), ("C", item.center), ("R", item.right)):
        if part.text:
            code = "".join(
                [f'&"{part.font}"' if part.font else "", f"&{part.size} " if part.size else ""]
                + [f"&K{part.color}" if part.color else "", part.text.replace("&G", "")]
            )
            out[key] = code
    return out


def _defined_names(wb: Any) -> list[tuple[str | None, str, str]]:
    """The names a clerk defined (workbook and sheet level); print areas and titles are not names here."""
    out: list[tuple[str | None, str, str]] = [
        (None, name, dn.attr_text) for name, dn in wb.defined_names.items() if dn.attr_text
    ]
    for ws in wb.worksheets:
        out += [(ws.title, name, dn.attr_text) for name, dn in ws.defined_names.items() if dn.attr_text]
    return [n for n in out if not n[1].startswith("_xlnm.") and "#REF!" not in n[2]]


_SHEET_DATA = re.compile(rb"<sheetData\b[^>]*?(/?)>")
_ROW_TAG = re.compile(rb"<row\b([^>]*)>")
_CELL_TAG = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"([^>]*)>')
_STYLE_ATTR = re.compile(rb' s="(\d+)"')
_ATTR = re.compile(rb'(\w+)="([^"]*)"')
_EMPTY_SST = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"/>'
)


def _without_cells(zf: zipfile.ZipFile) -> tuple[io.BytesIO, dict[str, bytes]]:
    """A copy of the package with every sheet's cell data taken out, and those cell data by sheet
    part. A sheet whose cells the scan cannot take stays whole (and so do the shared strings)."""
    bodies: dict[str, bytes] = {}
    parts: list[tuple[str, bytes]] = []
    whole = False
    for info in zf.infolist():
        data = zf.read(info)
        name = info.filename
        if name.startswith("xl/worksheets/") and name.endswith(".xml") and "/_rels/" not in name:
            found = _SHEET_DATA.search(data)
            end = data.find(b"</sheetData>", found.end()) if found is not None and not found.group(1) else -1
            body = data[found.end() : end] if found is not None and end >= 0 else b""
            # every cell must carry its r="A1" first, as Excel writes it; else openpyxl reads the sheet
            if found is not None and end >= 0 and body.count(b"<c ") + body.count(b"<c>") == body.count(b'<c r="'):
                bodies[name] = body
                data = data[: found.start()] + b"<sheetData/>" + data[end + len(b"</sheetData>") :]
            elif found is None or not found.group(1):
                whole = True
        parts.append((name, data))
    copy = io.BytesIO()
    with zipfile.ZipFile(copy, "w", zipfile.ZIP_STORED) as out:
        for name, data in parts:
            out.writestr(name, _EMPTY_SST if name == "xl/sharedStrings.xml" and not whole else data)
    copy.seek(0)
    return copy, bodies


_COLUMNS: dict[bytes, int] = {}


def _column_index(letters: bytes) -> int:
    index = _COLUMNS.get(letters)
    if index is None:
        index = 0
        for ch in letters:
            index = index * 26 + ch - 64
        index = _COLUMNS[letters] = index - 1
    return index


def _scan_cells(body: bytes, xf_number: Any) -> tuple[list[list[int]], dict[int, RowLook]]:
    """Style numbers of every cell (by 0-based row and column) and the rows' own options, from a
    sheet's <sheetData> XML."""
    grid: dict[int, list[int]] = {}
    for match in _CELL_TAG.finditer(body):
        letters, row_text, rest = match.groups()
        found = _STYLE_ATTR.search(rest) if b" s=" in rest else None
        number = xf_number(int(found.group(1)) if found else 0)
        if number:
            r, c = int(row_text) - 1, _column_index(letters)
            cells = grid.get(r)
            if cells is None:
                cells = grid[r] = []
            if len(cells) <= c:
                cells.extend([0] * (c + 1 - len(cells)))
            cells[c] = number
    rows: dict[int, RowLook] = {}
    for attributes in _ROW_TAG.findall(body):
        if b"ht=" not in attributes and b"hidden" not in attributes and b"customFormat" not in attributes:
            if b"outlineLevel" not in attributes:
                continue
        attrs = {k.decode(): v.decode() for k, v in _ATTR.findall(attributes)}
        if "r" not in attrs:
            continue
        height = float(attrs["ht"]) if "ht" in attrs else None  # as openpyxl reads it: auto heights too
        style = xf_number(int(attrs.get("s", 0))) if attrs.get("customFormat") in ("1", "true") else 0
        hidden = attrs.get("hidden") in ("1", "true")
        level = int(attrs.get("outlineLevel", 0) or 0)
        if height is not None or style or hidden or level:
            rows[int(attrs["r"]) - 1] = RowLook(height, style, hidden, level)
    cells = [grid.get(r, []) for r in range(max(grid) + 1)] if grid else []
    return cells, rows


def _openpyxl_cells(ws: Any, style_of: Any) -> list[list[int]]:
    grid: dict[int, list[int]] = {}
    for (r, c), cell in ws._cells.items():
        number = style_of(cell)
        if number:
            row = grid.setdefault(r - 1, [])
            if len(row) < c:
                row.extend([0] * (c - len(row)))
            row[c - 1] = number
    return [grid.get(r, []) for r in range(max(grid) + 1)] if grid else []


def _openpyxl_props(wb: Any, array: Any, theme: list[str]) -> dict[str, Any]:
    """XlsxWriter format properties of one openpyxl style (font, fill, border, alignment, number format)."""
    props: dict[str, Any] = {}
    font = wb._fonts[array.fontId]
    name = font.name or _DEFAULT_FONT[0]
    size = float(font.sz) if font.sz else _DEFAULT_FONT[1]
    if name != _DEFAULT_FONT[0]:
        props["font_name"] = name
    if size != _DEFAULT_FONT[1]:
        props["font_size"] = size
    if font.b:
        props["bold"] = True
    if font.i:
        props["italic"] = True
    if font.u:
        props["underline"] = _UNDERLINES.get(font.u, 1)
    if font.strike:
        props["font_strikeout"] = True
    if font.vertAlign in ("superscript", "subscript"):
        props["font_script"] = 1 if font.vertAlign == "superscript" else 2
    colour = _colour(font.color, theme)
    if colour and colour != "#000000":
        props["font_color"] = colour

    fill = wb._fills[array.fillId]
    pattern = getattr(fill, "fill_type", None) or getattr(fill, "patternType", None)
    if pattern in _PATTERNS:
        fg, bg = _colour(fill.fgColor, theme), _colour(fill.bgColor, theme)
        if pattern == "solid":
            if fg:
                props.update(pattern=1, bg_color=fg)
        else:
            props["pattern"] = _PATTERNS[pattern]
            if fg:
                props["fg_color"] = fg
            if bg:
                props["bg_color"] = bg
    elif getattr(fill, "stop", None):  # a gradient: its first colour, solid
        first = _colour(fill.stop[0].color, theme)
        if first:
            props.update(pattern=1, bg_color=first)

    border = wb._borders[array.borderId]
    for side in ("left", "right", "top", "bottom"):
        line = getattr(border, side)
        if line is not None and line.style in _BORDER_STYLES:
            props[side] = _BORDER_STYLES[line.style]
            colour = _colour(line.color, theme)
            if colour:
                props[f"{side}_color"] = colour
    diagonal = border.diagonal
    if diagonal is not None and diagonal.style in _BORDER_STYLES and (border.diagonalUp or border.diagonalDown):
        props["diag_type"] = 3 if border.diagonalUp and border.diagonalDown else (1 if border.diagonalUp else 2)
        props["diag_border"] = _BORDER_STYLES[diagonal.style]
        colour = _colour(diagonal.color, theme)
        if colour:
            props["diag_color"] = colour

    align = wb._alignments[array.alignmentId]
    if align.horizontal in _H_ALIGN:
        props["align"] = _H_ALIGN[align.horizontal]
    if align.vertical in _V_ALIGN and align.vertical != "bottom":
        props["valign"] = _V_ALIGN[align.vertical]
    if align.wrap_text:
        props["text_wrap"] = True
    if align.shrink_to_fit:
        props["shrink"] = True
    if align.indent:
        props["indent"] = int(align.indent)
    rotation = _rotation(int(align.text_rotation or 0))
    if rotation:
        props["rotation"] = rotation

    number = int(array.numFmtId)
    if number >= 164:
        custom = wb._number_formats[number - 164] if number - 164 < len(wb._number_formats) else None
        if custom and custom != "General":
            props["num_format"] = custom
    elif number:
        props["num_format"] = number  # a built-in format, shown in the reader's own locale
    protection = wb._protections[array.protectionId]
    if protection.locked is False:
        props["locked"] = False
    if protection.hidden:
        props["hidden"] = True
    return props


def _rotation(angle: int) -> int:
    """An OOXML textRotation as XlsxWriter's set_rotation() angle."""
    if angle == 255:
        return 270
    if 90 < angle <= 180:
        return -(angle - 90)
    return angle if 0 < angle <= 90 else 0


def _user_width(width: float) -> float:
    """A <col> width (characters with padding) as the width set_column() takes for it."""
    pixels = round(float(width) * 7)
    return (pixels - 5) / 7 if pixels >= 12 else pixels / 12


def _bounds(ref: str) -> tuple[int, int, int, int] | None:
    from openpyxl.utils.cell import range_boundaries

    try:
        c0, r0, c1, r1 = range_boundaries(ref.split()[0])
    except (ValueError, TypeError):
        return None
    if None in (c0, r0, c1, r1):
        return None
    return r0 - 1, c0 - 1, r1 - 1, c1 - 1


def _theme_colours(theme_xml: bytes | None) -> list[str]:
    """The theme palette in Excel's theme-index order (lt1, dk1, lt2, dk2, accent1–6, hlink, folHlink)."""
    if not theme_xml:
        return []
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(theme_xml)
    except Exception:  # noqa: BLE001 - no theme, no theme colours
        return []
    ns = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    scheme = root.find(f"{ns}themeElements/{ns}clrScheme")
    if scheme is None:
        return []
    colours = {}
    for child in scheme:
        name = child.tag.replace(ns, "")
        srgb, system = child.find(f"{ns}srgbClr"), child.find(f"{ns}sysClr")
        value = srgb.get("val") if srgb is not None else (system.get("lastClr") if system is not None else None)
        if value:
            colours[name] = value.upper()
    order = ["lt1", "dk1", "lt2", "dk2", "accent1", "accent2", "accent3", "accent4", "accent5", "accent6"]
    order += ["hlink", "folHlink"]
    return [colours.get(name, "000000") for name in order]


def _colour(colour: Any, theme: list[str]) -> str | None:
    """An openpyxl Color as #RRGGBB (theme colours with their tint applied), None for automatic."""
    if colour is None:
        return None
    kind = getattr(colour, "type", None)
    rgb: str | None = None
    if kind == "rgb" and isinstance(colour.rgb, str):
        rgb = colour.rgb[-6:]
    elif kind == "indexed":
        from openpyxl.styles.colors import COLOR_INDEX

        index = colour.indexed
        if isinstance(index, int) and 0 <= index < len(COLOR_INDEX) and index < 64:
            rgb = COLOR_INDEX[index][-6:]
    elif kind == "theme" and isinstance(colour.theme, int) and 0 <= colour.theme < len(theme):
        rgb = theme[colour.theme]
    if not rgb or not re.fullmatch(r"[0-9A-Fa-f]{6}", rgb):
        return None
    tint = float(getattr(colour, "tint", 0) or 0)
    if tint:
        rgb = _tinted(rgb, tint)
    return "#" + rgb.upper()


def _tinted(rgb: str, tint: float) -> str:
    """Excel's tint: lighten towards white (tint > 0) or darken towards black, in HLS lightness."""
    r, g, b = (int(rgb[i : i + 2], 16) / 255 for i in (0, 2, 4))
    h, light, s = colorsys.rgb_to_hls(r, g, b)
    light = light * (1 + tint) if tint < 0 else light * (1 - tint) + tint
    r, g, b = colorsys.hls_to_rgb(h, min(max(light, 0.0), 1.0), s)
    return "".join(f"{round(v * 255):02X}" for v in (r, g, b))


def _validation(dv: Any) -> ValidationLook | None:
    """An openpyxl DataValidation as data_validation() options over its ranges."""
    kind = _VALIDATION_TYPES.get(dv.type)
    if kind is None:
        return None
    ranges = [b for b in (_bounds(str(r)) for r in dv.sqref.ranges) if b]
    if not ranges:
        return None
    options: dict[str, Any] = {"validate": kind}
    if kind in ("list", "custom"):
        if not dv.formula1:
            return None
        options["value"] = "=" + dv.formula1
    elif kind != "any":
        if dv.formula1 is None:
            return None
        options["criteria"] = _CRITERIA.get(dv.operator, "between")
        options["value"] = _operand(dv.formula1)
        if options["criteria"] in ("between", "not between"):
            if dv.formula2 is None:
                return None
            options["maximum"] = _operand(dv.formula2)
    options["ignore_blank"] = bool(dv.allow_blank)
    options["dropdown"] = not dv.showDropDown  # OOXML's showDropDown="1" hides the arrow
    options["show_input"] = bool(dv.showInputMessage)
    options["show_error"] = bool(dv.showErrorMessage)
    for key, text, limit in (
        ("input_title", dv.promptTitle, 32),
        ("input_message", dv.prompt, 255),
        ("error_title", dv.errorTitle, 32),
        ("error_message", dv.error, 255),
    ):
        if text:
            options[key] = _cut(text, limit)
    if dv.errorStyle in ("warning", "information"):
        options["error_type"] = dv.errorStyle
    if kind == "any" and "input_title" not in options and "input_message" not in options:
        return None
    return ValidationLook(ranges, options)


def _operand(formula: str) -> Any:
    try:
        return float(formula) if "." in formula or "e" in formula.lower() else int(formula)
    except ValueError:
        return "=" + formula


def _cut(text: str, units: int) -> str:
    from cadretool.output.xlsx_stream import utf16_truncate

    return utf16_truncate(str(text), units)


def _images(zf: zipfile.ZipFile, ws: Any, sheet: SheetLook) -> list[ImageLook]:
    """The pictures of a sheet (a photo column, a seal), read from its drawing parts.

    openpyxl drops pictures when Pillow is not installed, so they are read here from the package.
    """
    from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
    from openpyxl.packaging.relationship import get_dependents, get_rels_path
    from openpyxl.xml.functions import fromstring

    found: list[ImageLook] = []
    rels = getattr(ws, "_rels", None)
    if rels is None:
        return found
    names = set(zf.namelist())
    for rel in rels.find(SpreadsheetDrawing._rel_type):
        drawing_path = rel.target
        if drawing_path not in names:
            continue
        drawing = SpreadsheetDrawing.from_tree(fromstring(zf.read(drawing_path)))
        rels_path = get_rels_path(drawing_path)
        if rels_path not in names:
            continue
        deps = get_dependents(zf, rels_path)
        for blip in drawing._blip_rels:
            dep = deps.get(blip.embed)
            if dep is None or dep.target not in names:
                continue
            placed = _placement(blip.anchor, sheet)
            if placed is None:
                continue
            row, col, options = placed
            found.append(ImageLook(row, col, zf.read(dep.target), Path(dep.target).name, options))
    return found


_EMU_PER_PIXEL = 9525


def _placement(anchor: Any, sheet: SheetLook) -> tuple[int, int, dict[str, Any]] | None:
    """Where an anchored picture sits (cell, offsets) and its size in pixels, as insert_image() options."""
    kind = type(anchor).__name__
    if kind == "AbsoluteAnchor":
        x, y = anchor.pos.x // _EMU_PER_PIXEL, anchor.pos.y // _EMU_PER_PIXEL
        width, height = anchor.ext.width // _EMU_PER_PIXEL, anchor.ext.height // _EMU_PER_PIXEL
        return 0, 0, {"x_offset": x, "y_offset": y, "size": (width, height), "object_position": 3}
    start = anchor._from
    row, col = start.row, start.col
    options: dict[str, Any] = {"x_offset": start.colOff // _EMU_PER_PIXEL, "y_offset": start.rowOff // _EMU_PER_PIXEL}
    if kind == "OneCellAnchor":
        options["size"] = (anchor.ext.width // _EMU_PER_PIXEL, anchor.ext.height // _EMU_PER_PIXEL)
        options["object_position"] = 2
    elif kind == "TwoCellAnchor":
        end = anchor.to
        width = sum(_column_pixels(sheet, c) for c in range(col, end.col)) - options["x_offset"]
        width += end.colOff // _EMU_PER_PIXEL
        height = sum(_row_pixels(sheet, r) for r in range(row, end.row)) - options["y_offset"]
        height += end.rowOff // _EMU_PER_PIXEL
        options["size"] = (max(width, 1), max(height, 1))
        options["object_position"] = {"absolute": 3, "oneCell": 2}.get(anchor.editAs or "", 1)
    else:
        return None
    return row, col, options


def _column_pixels(sheet: SheetLook, col: int) -> int:
    for column in sheet.columns:
        if column.first <= col <= column.last:
            if column.hidden:
                return 0
            if column.width is not None:
                return round(column.width * 7 + 5) if column.width >= 1 else round(column.width * 12)
    return 64


def _row_pixels(sheet: SheetLook, row: int) -> int:
    info = sheet.rows.get(row)
    if info is not None and info.hidden:
        return 0
    height = info.height if info is not None and info.height is not None else sheet.default_row_height or 15
    return round(height * 4 / 3)


# ---------------------------------------------------------------- xls through xlrd


_XLS_H_ALIGN = {1: "left", 2: "center", 3: "right", 4: "fill", 5: "justify", 6: "center_across", 7: "distributed"}
_XLS_V_ALIGN = {0: "top", 1: "vcenter", 3: "vjustify", 4: "vdistributed"}
_XLS_UNDERLINES = {1: 1, 2: 2, 0x21: 33, 0x22: 34}


def _xls_look(path: Path) -> BookLook:
    import xlrd

    book = xlrd.open_workbook(str(path), on_demand=True, formatting_info=True)
    look = BookLook()
    numbers: dict[int, int] = {}

    def style_of(xf_index: int) -> int:
        number = numbers.get(xf_index)
        if number is None:
            props = _xls_props(book, xf_index) if 0 <= xf_index < len(book.xf_list) else {}
            number = numbers[xf_index] = len(look.styles) if props else 0
            if props:
                look.styles.append(props)
        return number

    try:
        for index in range(book.nsheets):
            sh = book.sheet_by_index(index)
            sheet = SheetLook()
            look.sheets[sh.name] = sheet
            sheet.cells = [[style_of(sh.cell_xf_index(r, c)) for c in range(sh.row_len(r))] for r in range(sh.nrows)]
            for c, info in sorted(sh.colinfo_map.items()):
                sheet.columns.append(
                    ColumnLook(c, c, _user_width(info.width / 256), style_of(info.xf_index), bool(info.hidden))
                )
            for r, info in sh.rowinfo_map.items():
                custom = not info.has_default_height
                if custom or info.hidden:
                    sheet.rows[r] = RowLook(info.height / 20 if custom else None, 0, bool(info.hidden))
            for (r, c), note in sh.cell_note_map.items():
                if note.text:
                    sheet.comments.setdefault(r, {})[c] = (note.text, note.author or "")
            if sh.panes_are_frozen and (sh.horz_split_pos or sh.vert_split_pos):
                sheet.freeze = (sh.horz_split_pos, sh.vert_split_pos)
            book.unload_sheet(index)
    finally:
        book.release_resources()
    look.notes.append(
        f"{path.name}：xls 文件中的图片、下拉选项（数据有效性）和筛选如有，未能保留 (not carried over from xls)"
    )
    return look


def _xls_colour(book: Any, index: int) -> str | None:
    rgb = book.colour_map.get(index)
    if rgb is None:
        return None
    return "#{:02X}{:02X}{:02X}".format(*rgb)


def _xls_props(book: Any, xf_index: int) -> dict[str, Any]:
    """XlsxWriter format properties of one xls XF record."""
    xf = book.xf_list[xf_index]
    props: dict[str, Any] = {}
    font = book.font_list[xf.font_index] if xf.font_index < len(book.font_list) else None
    if font is not None:
        size = font.height / 20
        if font.name and font.name != _DEFAULT_FONT[0]:
            props["font_name"] = font.name
        if size and size != _DEFAULT_FONT[1]:
            props["font_size"] = size
        if font.bold:
            props["bold"] = True
        if font.italic:
            props["italic"] = True
        if font.underline_type in _XLS_UNDERLINES:
            props["underline"] = _XLS_UNDERLINES[font.underline_type]
        if font.struck_out:
            props["font_strikeout"] = True
        if font.escapement in (1, 2):
            props["font_script"] = font.escapement
        colour = _xls_colour(book, font.colour_index)
        if colour and colour != "#000000":
            props["font_color"] = colour
    back = xf.background
    if back.fill_pattern == 1:
        colour = _xls_colour(book, back.pattern_colour_index)
        if colour:
            props.update(pattern=1, bg_color=colour)
    elif 1 < back.fill_pattern <= 18:
        props["pattern"] = back.fill_pattern
        for key, index in (("fg_color", back.pattern_colour_index), ("bg_color", back.background_colour_index)):
            colour = _xls_colour(book, index)
            if colour:
                props[key] = colour
    border = xf.border
    for side in ("left", "right", "top", "bottom"):
        style = getattr(border, f"{side}_line_style")
        if style:
            props[side] = style
            colour = _xls_colour(book, getattr(border, f"{side}_colour_index"))
            if colour:
                props[f"{side}_color"] = colour
    align = xf.alignment
    if align.hor_align in _XLS_H_ALIGN:
        props["align"] = _XLS_H_ALIGN[align.hor_align]
    if align.vert_align in _XLS_V_ALIGN:
        props["valign"] = _XLS_V_ALIGN[align.vert_align]
    if align.text_wrapped:
        props["text_wrap"] = True
    if align.shrink_to_fit:
        props["shrink"] = True
    if align.indent_level:
        props["indent"] = align.indent_level
    rotation = _rotation(align.rotation)
    if rotation:
        props["rotation"] = rotation
    fmt = book.format_map.get(xf.format_key)
    if fmt is not None and xf.format_key:
        props["num_format"] = xf.format_key if xf.format_key < 164 else fmt.format_str
    return props


def image_options(image: ImageLook) -> dict[str, Any]:
    """insert_image() options for a picture: its bytes, offsets and the scale that gives its original size."""
    options = {k: v for k, v in image.options.items() if k != "size"}
    options["image_data"] = io.BytesIO(image.data)
    size = image.options.get("size")
    if size:
        try:
            from xlsxwriter.image import Image

            native = Image(io.BytesIO(image.data))
            width = native.width * 96 / (native.x_dpi or 96)
            height = native.height * 96 / (native.y_dpi or 96)
            if width and height:
                options["x_scale"] = size[0] / width
                options["y_scale"] = size[1] / height
        except Exception:  # noqa: BLE001 - an image XlsxWriter cannot measure keeps its own size
            pass
    return options


__all__ = [
    "LOOK_MAX_ROWS",
    "BookLook",
    "SheetLook",
    "image_options",
    "keeps_look",
    "read_look",
    "values_only_note",
]
