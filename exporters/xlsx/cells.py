"""Cells for a streamed workbook: every look built once, every value stored by its kind.

openpyxl files each distinct look (font, alignment, number format, quote prefix)
once per workbook as an index array. A cell here is given the array of its look
when it is made, so no cell ever creates or looks up a Font or an Alignment:
that is what keeps a sheet of 100,000 rows fast.

Text is always a string cell, whatever it looks like: ``=SUM(1)``, ``#N/A``,
``00123``, ``TRUE`` and ``2024-01-01`` stay exactly as written and are never
evaluated or converted. Text that starts like a formula also gets the quote
prefix, so that Excel keeps it as text when someone edits the cell.
"""

from __future__ import annotations

from datetime import date

from openpyxl.cell.cell import Cell
from openpyxl.cell.cell import WriteOnlyCell as _prototype_cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.hyperlink import Hyperlink

from briefing.labels import Labels
from exporters.xlsx.rows import Entry
from exporters.xlsx.text import URL_LIMIT, fit_to_cell, link_at, needs_quote_prefix, text_width
from styles import Theme

DURATION_FORMAT = "[h]:mm:ss"
DATE_FORMAT = "yyyy-mm-dd"
SECONDS_PER_DAY = 86_400
HUGE_AMOUNT = 1e12
"""From here on an amount is shown in scientific notation: digits would not fit a column."""

_CURRENCY_SYMBOLS = {
    "USD": "$",
    "EUR": "€",
    "GBP": "£",
    "JPY": "¥",
    "CNY": "CN¥",
    "INR": "₹",
    "KRW": "₩",
    "RUB": "₽",
    "BTC": "₿",
}
_CURRENCY_DIGITS = {"JPY": "#,##0", "KRW": "#,##0", "BTC": "#,##0.00######"}


def currency_format(currency: str | None, huge: bool = False) -> str:
    """``"$"#,##0.00`` for USD, ``#,##0.00 "CHF"`` for a code without a symbol here."""
    digits = "0.00E+00" if huge else _CURRENCY_DIGITS.get(currency or "", "#,##0.00")
    if currency is None:
        return digits
    symbol = _CURRENCY_SYMBOLS.get(currency)
    # Codes are three letters (the model's parser guarantees it), safe inside quotes.
    return f'"{symbol}"{digits}' if symbol else f'{digits} "{currency}"'


def _argb(colour: str) -> str:
    return "FF" + colour.removeprefix("#").upper()


class CellStyles:
    """The looks of one workbook, made from the theme."""

    def __init__(self, sheet: WriteOnlyWorksheet, theme: Theme, labels: Labels) -> None:
        self._sheet = sheet
        fonts, colours = theme.fonts, theme.colours
        body = Font(name=fonts.body, size=fonts.size_pt, color=_argb(colours.text))
        self._link_font = Font(
            name=fonts.body, size=fonts.size_pt, color=_argb(colours.link), underline="single"
        )
        # Numbers and times are centred: right-aligned, they would run into the text of
        # the next column, as tables here have no vertical rules ("0.075bits/token").
        self._centred = Alignment(horizontal="center", vertical="top")
        left = Alignment(horizontal="left", vertical="top")
        wrap = Alignment(vertical="top", wrap_text=True)
        self._body = body
        self.text = self._look(font=body, alignment=wrap)
        self.quoted_text = self._look(font=body, alignment=wrap, quote_prefix=True)
        self.link = self._look(font=self._link_font, alignment=wrap)
        self.number = self._look(font=body, alignment=self._centred)
        self.time = self._look(font=body, alignment=self._centred, number_format=DURATION_FORMAT)
        self.time_link = self._look(
            font=self._link_font, alignment=self._centred, number_format=DURATION_FORMAT
        )
        self.date = self._look(font=body, alignment=self._centred, number_format=DATE_FORMAT)
        # In the Overview's list of details a number reads as one more detail: left-aligned.
        self.listed_number = self._look(font=body, alignment=left)
        self.listed_date = self._look(font=body, alignment=left, number_format=DATE_FORMAT)
        # Number formats keep text in quotes; a label with a quote in it goes without.
        minutes = f'0 "{labels.minutes}"' if '"' not in labels.minutes else "0"
        self.minutes = self._look(font=body, alignment=left, number_format=minutes)
        # The table style colours the header in Excel; the same colours set on the cells
        # carry the theme into viewers that ignore table styles, such as LibreOffice.
        self.header = self._look(
            font=Font(
                name=fonts.heading,
                size=fonts.size_pt,
                bold=True,
                color=_argb(colours.table_header_text),
            ),
            alignment=Alignment(vertical="center", wrap_text=True),
            fill=PatternFill("solid", fgColor=_argb(colours.table_header_background)),
        )
        self.heading = self._look(
            font=Font(
                name=fonts.heading,
                size=round(fonts.size_pt * fonts.heading_scale, 1),
                bold=True,
                color=_argb(colours.heading),
            ),
            alignment=left,
        )
        self.subheading = self._look(
            font=Font(
                name=fonts.heading, size=fonts.size_pt, bold=True, color=_argb(colours.heading)
            ),
            alignment=left,
        )
        self._money: dict[tuple[str | None, bool], StyleArray] = {}

    def _look(
        self,
        font: Font,
        alignment: Alignment,
        number_format: str | None = None,
        fill: PatternFill | None = None,
        quote_prefix: bool = False,
    ) -> StyleArray:
        prototype = _prototype_cell(self._sheet)
        prototype.font = font
        prototype.alignment = alignment
        if number_format is not None:
            prototype.number_format = number_format
        if fill is not None:
            prototype.fill = fill
        if quote_prefix:
            prototype.quotePrefix = True
        # The index array of the look: what every cell of this look is given.
        return prototype._style

    def money(self, currency: str | None, huge: bool) -> StyleArray:
        key = (currency, huge)
        if key not in self._money:
            number_format = currency_format(currency, huge)
            self._money[key] = self._look(self._body, self._centred, number_format)
        return self._money[key]


class CellMaker:
    """Builds the cells of one workbook from plain values."""

    def __init__(self, styles: CellStyles, labels: Labels) -> None:
        self.styles = styles
        self._marker = labels.truncated

    def text(self, sheet: WriteOnlyWorksheet, value: str, link: Hyperlink | None = None) -> Cell:
        text = fit_to_cell(value, self._marker)
        if link is not None:
            style = self.styles.link
        elif needs_quote_prefix(text):
            style = self.styles.quoted_text
        else:
            style = self.styles.text
        cell = Cell(sheet, row=1, column=1, value=text, style_array=style)
        # openpyxl types ``=...`` as a formula and ``#N/A`` as an error; episode text is
        # neither, so the type is set back to string after the value.
        cell.data_type = "s"
        if link is not None:
            cell.hyperlink = link
        return cell

    def text_look(self, value: str) -> tuple[str, StyleArray]:
        """A data sheet's text as the cell holds it, and its look: what ``text`` makes."""
        text = fit_to_cell(value, self._marker)
        return text, self.styles.quoted_text if needs_quote_prefix(text) else self.styles.text

    def text_entry(self, value: str) -> Entry:
        """``text_look`` as an entry (see ``exporters.xlsx.rows``)."""
        return Entry(*self.text_look(value))

    def time(self, seconds: int, watch_url: str | None) -> Entry:
        """A duration (fraction of a day) that sorts, linked to that moment when possible."""
        url = link_at(watch_url, seconds) if watch_url else None
        style = self.styles.time_link if url else self.styles.time
        return Entry(seconds / SECONDS_PER_DAY, style, url)

    def number_entry(self, value: float) -> Entry:
        return Entry(value, self.styles.number)

    def number(
        self, sheet: WriteOnlyWorksheet, value: float, style: StyleArray | None = None
    ) -> Cell:
        look = self.styles.number if style is None else style
        return Cell(sheet, row=1, column=1, value=value, style_array=look)

    def money(self, amount: float, currency: str | None) -> Entry:
        return Entry(amount, self.styles.money(currency, abs(amount) >= HUGE_AMOUNT))

    def date(self, sheet: WriteOnlyWorksheet, value: date, style: StyleArray | None = None) -> Cell:
        look = self.styles.date if style is None else style
        return Cell(sheet, row=1, column=1, value=value, style_array=look)

    def minutes(self, sheet: WriteOnlyWorksheet, value: int) -> Cell:
        return Cell(sheet, row=1, column=1, value=value, style_array=self.styles.minutes)

    def styled(self, sheet: WriteOnlyWorksheet, value: str, style: StyleArray) -> Cell:
        """Text in a look of its own: a heading (which may be the episode's title), a header."""
        text = fit_to_cell(value, self._marker)
        cell = Cell(sheet, row=1, column=1, value=text, style_array=style)
        cell.data_type = "s"
        return cell


def external_link(url: str) -> Hyperlink | None:
    """A link to an address the exporter chose to link (the watch link), if Excel takes it."""
    return Hyperlink(ref="", target=url) if len(url) <= URL_LIMIT else None


def sheet_link(sheet_title: str) -> Hyperlink:
    """A link to the top of another sheet of the workbook."""
    quoted = sheet_title.replace("'", "''")
    return Hyperlink(ref="", location=f"'{quoted}'!A1")


def content_width(kind: str, value: object) -> float:
    """About how wide a value shows, in Excel's character units, to size its column."""
    if isinstance(value, str):
        return text_width(value)
    if kind == "time":
        return 9.0  # 1:05:43, right-aligned, with room before the next column
    if kind == "date":
        return 10.0
    if kind == "money" and isinstance(value, tuple):
        amount, currency = value
        symbol = _CURRENCY_SYMBOLS.get(currency or "", f" {currency or ''}")
        digits = f"{amount:.2E}" if abs(amount) >= HUGE_AMOUNT else f"{amount:,.2f}"
        return float(len(digits) + len(symbol))
    # Excel shows a General number in at most 11 characters, switching to 1.2E+26.
    return float(min(len(str(value)), 11))
