"""Small tables as HTML: a few rows of runs, each run's name in its colour.

A pandas Styler shown with ``st.dataframe`` cost ~17-20 % of a cached rerun (styling, then
Arrow); a handful of rows needs neither. This writes one ``<table>`` string (pure, escaped),
which the page shows with ``st.markdown`` and a test reads back with :func:`read`.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser
from typing import Any

CLASS = "descent-lab-table"
"""The tables' CSS class, by which a browser test finds them."""


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def html_table(rows: list[dict[str, Any]], colors: list[str], column: str | None = None,
               caption: str = "") -> str:
    """``rows`` (dicts with the same keys, in order) as an HTML table whose ``column`` (default:
    the first) is written in bold in the row's colour from ``colors`` (CSS colours readable on
    white). Floats are shown with 4 significant digits."""
    if not rows:
        return ""
    head = list(rows[0])
    first = column or head[0]
    lines = [f'<table class="{CLASS}">']
    if caption:
        lines.append(f"<caption>{html.escape(caption)}</caption>")
    lines.append("<thead><tr>" + "".join(f'<th scope="col">{html.escape(h)}</th>'
                                         for h in head) + "</tr></thead><tbody>")
    for row, color in zip(rows, colors, strict=True):
        cells = []
        for name in head:
            text = html.escape(_cell(row[name]))
            if name == first:
                cells.append(f'<td style="color:{html.escape(color)};font-weight:700">'
                             f"{text}</td>")
            else:
                cells.append(f"<td>{text}</td>")
        lines.append("<tr>" + "".join(cells) + "</tr>")
    lines.append("</tbody></table>")
    return "".join(lines)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and (CLASS in (dict(attrs).get("class") or "")):
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def read(text: str) -> list[list[dict[str, str]]]:
    """Every table :func:`html_table` wrote in ``text``, as rows of {column: text}."""
    reader = _Reader()
    reader.feed(text)
    tables = []
    for table in reader.tables:
        head, *body = table
        tables.append([dict(zip(head, row, strict=True)) for row in body])
    return tables
