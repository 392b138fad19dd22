"""HTML tables written out as Word tables (trainingcenter/word_tables.py)."""

import io

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from lxml import html

from trainingcenter import word_tables

TABLE = """
<table>
  <thead><tr><th>Lớp</th><th>Rất hài lòng</th></tr></thead>
  <tbody>
    <tr><td>Lớp bồi dưỡng<br>nhận thức về Đảng</td>
        <td class="num">1.234<br><small>96,2%</small></td></tr>
  </tbody>
</table>
"""


def _cells():
    document = docx.Document()
    word_tables.add_table(document, html.fromstring(TABLE))
    saved = io.BytesIO()
    document.save(saved)
    table = docx.Document(io.BytesIO(saved.getvalue())).tables[0]
    return table.rows[0].cells, table.rows[1].cells


def test_a_number_and_its_share_under_it_are_both_right_aligned():
    _head, (name, figure) = _cells()
    assert [p.text for p in figure.paragraphs] == ["1.234", "96,2%"]
    assert {p.alignment for p in figure.paragraphs} == {WD_ALIGN_PARAGRAPH.RIGHT}
    # Text keeps to the left, on every line.
    assert [p.text for p in name.paragraphs] == ["Lớp bồi dưỡng", "nhận thức về Đảng"]
    assert {p.alignment for p in name.paragraphs} == {None}


def test_heading_cells_are_centred_on_every_line():
    head, _body = _cells()
    assert {p.alignment for c in head for p in c.paragraphs} == {
        WD_ALIGN_PARAGRAPH.CENTER
    }
