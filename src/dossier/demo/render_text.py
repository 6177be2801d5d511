"""Plain text, CSV, HTML and e-mail renderings of synthetic documents.

Arabic text files in leaks are often in windows-1256 rather than UTF-8; that code page has
no Arabic-Indic digits, so such files are written from the European-digit version of the
document (see :meth:`DocumentSpec.with_european_digits`). Every function returns the
bytes and the exact text a reader sees, which becomes the page text of the truth.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
from datetime import datetime
from email.header import Header
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime

from dossier.demo.spec import (
    SYNTHETIC_AR,
    SYNTHETIC_EN,
    SYNTHETIC_FR,
    DocumentSpec,
    Paragraph,
    Table,
)

__all__ = ["render_csv", "render_email", "render_html", "render_text"]


def _banner(spec: DocumentSpec) -> list[str]:
    latin = SYNTHETIC_FR if spec.language == "fr" else SYNTHETIC_EN
    return [latin, SYNTHETIC_AR] if spec.rtl else [latin]


def _lines(spec: DocumentSpec, cell_separator: str) -> list[str]:
    lines = _banner(spec)
    for block in spec.blocks:
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            lines.extend(cell_separator.join(row) for row in block.rows)
    return lines


def render_text(spec: DocumentSpec, encoding: str = "utf-8") -> tuple[bytes, str]:
    """A .txt file, CRLF line ends when in windows-1256 (as Windows Notepad saves it)."""
    newline = "\r\n" if encoding == "cp1256" else "\n"
    text = newline.join(_lines(spec, "\t")) + newline
    return text.encode(encoding), text


def render_csv(spec: DocumentSpec, encoding: str = "utf-8") -> tuple[bytes, str]:
    """The tables of ``spec`` as CSV, preceded by the SYNTHETIC banner as a one-cell row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for line in _banner(spec):
        writer.writerow([line])
    for block in spec.blocks:
        if isinstance(block, Table):
            writer.writerows(block.rows)
    text = buffer.getvalue()
    return text.encode(encoding), text


def render_html(spec: DocumentSpec, encoding: str = "utf-8") -> tuple[bytes, str]:
    """A simple HTML page; its truth is the visible text, one line per block or row."""
    direction = "rtl" if spec.rtl else "ltr"
    charset = "windows-1256" if encoding == "cp1256" else "utf-8"
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{spec.language}" dir="{direction}">',
        f'<head><meta charset="{charset}"><title>{html.escape(spec.title)}</title></head>',
        "<body>",
    ]
    parts += [f'<p class="synthetic">{html.escape(line)}</p>' for line in _banner(spec)]
    for block in spec.blocks:
        if isinstance(block, Paragraph):
            tag = {"title": "h1", "heading": "h3"}.get(block.style, "p")
            parts.append(f"<{tag}>{html.escape(block.text)}</{tag}>")
        elif isinstance(block, Table):
            parts.append('<table border="1">')
            for row in block.rows:
                cells = "".join(f"<td>{html.escape(c)}</td>" for c in row)
                parts.append(f"<tr>{cells}</tr>")
            parts.append("</table>")
    parts += ["</body>", "</html>", ""]
    text = "\n".join(_lines(spec, " "))
    return "\n".join(parts).encode(encoding), text


def render_email(
    spec: DocumentSpec,
    *,
    sender: str,
    to: str,
    sent: datetime,
    body: str,
    attachment: tuple[str, bytes, str] | None,
) -> bytes:
    """An RFC 5322 message with ``attachment`` (name, bytes, MIME subtype) and a body.

    The MIME boundary and the Message-ID derive from the content: Python's default
    boundary is random, which would make every generated leak different.
    """
    digest = hashlib.sha256(f"{sender}|{to}|{sent.isoformat()}|{body}".encode()).hexdigest()
    message = MIMEMultipart("mixed", boundary=f"=_dossier_{digest[:24]}")
    message["From"] = sender
    message["To"] = to
    message["Subject"] = Header(spec.title + " — SYNTHETIC", "utf-8").encode()
    message["Date"] = format_datetime(sent)
    message["Message-ID"] = f"<{digest[:32]}@synthetic.invalid>"
    message["X-Dossier"] = "SYNTHETIC test data"
    message.attach(MIMEText(body, "plain", "utf-8"))
    if attachment is not None:
        name, data, subtype = attachment
        part = MIMEApplication(data, subtype)
        part.add_header("Content-Disposition", "attachment", filename=("utf-8", "", name))
        message.attach(part)
    return message.as_bytes()
