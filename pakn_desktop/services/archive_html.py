"""``record.html`` of an archive package: the written record (``reports.record``) as HTML.

Plain HTML with inline CSS in the administrative layout, readable offline in any browser,
printable; every value escaped. Screenshots are ``<img>`` elements pointing at the files
beside it in the ZIP. ``record.pdf`` renders the same values (``reports.record_pdf``).
"""

from __future__ import annotations

from html import escape
from typing import Any

from pakn_desktop.domain.letterhead import Letterhead
from pakn_desktop.reports.record import (
    MOTTO,
    NATION,
    ReportRecord,
    WrittenRecord,
    build_record,
)

_STYLE = """
body{font-family:"Times New Roman","Liberation Serif",serif;font-size:13pt;margin:2em auto;
max-width:50em;color:#111;line-height:1.35}
.head{width:100%;border:none}.head td{border:none;text-align:center;vertical-align:top;
padding:0}.head .l{width:40%}.head .r{width:60%}.b{font-weight:bold}.i{font-style:italic}
.u{text-decoration:underline}.title{text-align:center;font-weight:bold;font-size:14pt;
margin:1.5em 0 0}.subtitle{text-align:center;font-style:italic;margin:0 0 1em}
h2{font-size:13pt;margin-top:1.5em}h3{font-size:13pt;font-style:italic;margin:1em 0 .3em}
table.grid{border-collapse:collapse;margin:.3em 0;width:100%}
.grid td,.grid th{border:1px solid #777;padding:3px 6px;vertical-align:top;text-align:left}
.grid th{font-weight:bold}.grid th.k{width:30%}
.content{white-space:pre-wrap;border:1px solid #aaa;padding:.5em}
img{max-width:100%;border:1px solid #888;margin:.3em 0}.hash{font-family:monospace;
font-size:9pt;word-break:break-all}.note{font-style:italic}
.sign{width:100%;margin-top:2em}.sign td{border:none;text-align:center;vertical-align:top;
width:50%;height:8em}.to{font-size:11pt}
"""


def render_record(manifest: dict[str, Any], letterhead: Letterhead | None = None) -> str:
    """The manifest's record as HTML (``letterhead``: the issuing body and place)."""
    return record_html(build_record(manifest, letterhead))


def record_html(record: WrittenRecord) -> str:
    head = record.heading
    parts = [
        "<!DOCTYPE html>",
        '<html lang="vi"><head><meta charset="utf-8">',
        f"<title>{_e(record.title)}</title>",
        f"<style>{_STYLE}</style></head><body>",
        # Width attributes as well as CSS: Qt's rich text (a preview) reads only those.
        '<table class="head" width="100%"><tr>',
        f'<td class="l" width="40%"><span class="b u">{_e(head.issuer)}</span><br>'
        f"{_e(head.number).replace('  ', '&nbsp; ')}</td>",
        f'<td class="r" width="60%"><span class="b">{_e(NATION)}</span><br>'
        f'<span class="b u">{_e(MOTTO)}</span><br><br>'
        f'<span class="i">{_e(head.date_line)}</span></td>',
        "</tr></table>",
        f'<p class="title">{_e(record.title)}</p>',
        f'<p class="subtitle">{_e(record.subtitle)}</p>',
        f"<p>{_e(record.opening)}</p>",
    ]
    for number, report in enumerate(record.reports, start=1):
        parts.append(_report(number, report))
    parts.append(_signatures(record))
    parts.append("</body></html>")
    return "\n".join(parts)


def _e(value: Any) -> str:
    return escape("" if value is None else str(value))


def _grid(rows: tuple[tuple[str, str], ...]) -> str:
    cells = "".join(f'<tr><th class="k">{_e(k)}</th><td>{_e(v)}</td></tr>' for k, v in rows)
    return f'<table class="grid" width="100%" cellspacing="0">{cells}</table>'


def _report(number: int, report: ReportRecord) -> str:
    out = [f"<h2>{number}. Hồ sơ {_e(report.code)}: {_e(report.summary)}</h2>"]
    out += ["<h3>a) Thông tin tiếp nhận</h3>", _grid(report.fields)]
    out.append("<h3>b) Người phản ánh</h3>")
    if report.withheld:
        out.append(f'<p class="note">{_e(report.withheld)}</p>')
    elif report.reporter:
        out.append(_grid(report.reporter))
    else:
        out.append("<p>(không ghi)</p>")
    out.append("<h3>c) Nội dung phản ánh / tin nhắn</h3>")
    out.append(f'<div class="content">{_e(report.content)}</div>')
    out += ["<h3>d) Cách xử lý và kết quả</h3>", _grid(report.handling)]
    out.append(_evidence(report))
    out.append(_timeline(report))
    return "\n".join(out)


def _evidence(report: ReportRecord) -> str:
    out = ["<h3>đ) Minh chứng</h3>"]
    if not report.evidence:
        out.append("<p>(không có)</p>")
    for item in report.evidence:
        link = _e(item.path)
        out.append(f'<p><a href="{link}">{_e(item.name)}</a> ({_e(item.detail)})<br>')
        out.append(f'<span class="hash">SHA-256: {_e(item.sha256)}</span></p>')
        if item.is_image:
            out.append(f'<img src="{link}" alt="{_e(item.name)}">')
    return "\n".join(out)


def _timeline(report: ReportRecord) -> str:
    out = [
        '<h3>e) Diễn biến xử lý (chuỗi băm)</h3><table class="grid" width="100%" cellspacing="0">'
    ]
    out.append("<tr><th>#</th><th>Thời điểm</th><th>Sự kiện</th><th>Mã băm</th></tr>")
    for event in report.events:
        text = _e(event.text)
        if event.masked:  # its hash is of the text before the identity was masked
            text += " <em>(đã che danh tính; mã băm tính trên bản gốc)</em>"
        out.append(
            f"<tr><td>{event.seq}</td><td>{_e(event.at)}</td><td>{text}</td>"
            f'<td class="hash">{_e(event.hash)}</td></tr>'
        )
    out.append("</table>")
    return "\n".join(out)


def _signatures(record: WrittenRecord) -> str:
    cells = "".join(
        f'<td width="50%"><span class="b">{_e(role)}</span><br>'
        f'<span class="i">{_e(hint)}</span><br><br><br><br><br></td>'
        for role, hint in record.signers
    )
    to = "".join(f"<br>- {_e(line)}" for line in record.recipients)
    return (
        f'<table class="sign" width="100%"><tr>{cells}</tr></table>'
        f'<p class="to"><span class="b i">Nơi nhận:</span>{to}</p>'
    )
