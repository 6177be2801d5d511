"""E-mail: headers on page 1, Arabic encoded-word subjects, attachments as stored children."""

from __future__ import annotations

import base64
from email.message import EmailMessage
from pathlib import Path

import pytest

from dossier.ingest.email import extract_email
from dossier.ingest.extract import extract
from dossier.ingest.model import BombFile

SUBJECT = "أمر توقيف - الفرع 251"


def _encoded_subject() -> str:
    """The subject as Arabic Outlook sends it: a windows-1256 base64 encoded word."""
    return "=?windows-1256?B?" + base64.b64encode(SUBJECT.encode("cp1256")).decode() + "?="


def _message_with_attachment(path: Path) -> bytes:
    attachment = b"%PDF-1.4 pretend order"
    boundary = "==dossier=="
    raw = (
        "From: Registry <registry@example.org>\r\n"
        "To: Investigator <desk@example.org>\r\n"
        "Cc: archive@example.org\r\n"
        "Date: Thu, 15 Mar 2012 09:30:00 +0200\r\n"
        f"Subject: {_encoded_subject()}\r\n"
        "Message-ID: <order-251@example.org>\r\n"
        "MIME-Version: 1.0\r\n"
        f'Content-Type: multipart/mixed; boundary="{boundary}"\r\n'
        "\r\n"
        f"--{boundary}\r\n"
        "Content-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n"
        "--alt\r\n"
        "Content-Type: text/plain; charset=windows-1256\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\n"
        + base64.encodebytes("يرجى الاطلاع على أمر التوقيف المرفق.".encode("cp1256")).decode()
        + "\r\n--alt\r\n"
        "Content-Type: text/html; charset=utf-8\r\n\r\n"
        "<p>HTML twin of the body</p>\r\n"
        "--alt--\r\n"
        f"--{boundary}\r\n"
        "Content-Type: application/pdf\r\n"
        'Content-Disposition: attachment; filename="=?utf-8?B?'
        + base64.b64encode("أمر.pdf".encode()).decode() + '?="\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\n"
        + base64.encodebytes(attachment).decode()
        + f"\r\n--{boundary}--\r\n"
    ).encode("ascii")
    path.write_bytes(raw)
    return attachment


def test_headers_body_and_attachment(tmp_path: Path, ctx) -> None:
    path = tmp_path / "order.eml"
    attachment = _message_with_attachment(path)

    result = extract(path, ctx)

    assert (result.media_type, result.mime) == ("email", "message/rfc822")
    assert result.metadata["subject"] == SUBJECT
    assert result.metadata["from"] == "Registry <registry@example.org>"
    assert result.metadata["message-id"] == "<order-251@example.org>"
    assert result.metadata["date_iso"] == "2012-03-15T09:30:00+02:00"
    text = result.pages[0].text
    assert text.startswith("From: Registry <registry@example.org>\nTo: Investigator")
    assert f"Subject: {SUBJECT}" in text
    assert "يرجى الاطلاع على أمر التوقيف المرفق." in text
    assert "HTML twin" not in text
    [child] = result.children
    assert child.path == "attachments/أمر.pdf"
    assert ctx.blobs.path(child.sha256).read_bytes() == attachment
    assert child.size == len(attachment)
    assert result.metadata["attachments"] == ["أمر.pdf"]


def test_html_only_body_becomes_text_and_names_are_made_unique(tmp_path: Path, ctx) -> None:
    message = EmailMessage()
    message["From"] = "a@example.org"
    message["To"] = "b@example.org"
    message["Subject"] = "Lists"
    message.set_content("<html><body><p>Two lists attached</p><script>x()</script></body>"
                        "</html>", subtype="html")
    for content in (b"list one", b"list two"):
        message.add_attachment(content, maintype="text", subtype="csv",
                               filename="../list.csv")
    path = tmp_path / "lists.eml"
    path.write_bytes(bytes(message))

    result = extract_email(path, ctx)

    assert "Two lists attached" in result.pages[0].text
    assert "x()" not in result.pages[0].text
    assert [child.path for child in result.children] == ["attachments/list.csv",
                                                          "attachments/list (2).csv"]


def test_forwarded_message_is_one_child(tmp_path: Path, ctx) -> None:
    inner = EmailMessage()
    inner["From"] = "branch@example.org"
    inner["Subject"] = "original"
    inner.set_content("inner body")
    outer = EmailMessage()
    outer["From"] = "a@example.org"
    outer["To"] = "b@example.org"
    outer["Subject"] = "Fwd: original"
    outer.set_content("see below")
    outer.add_attachment(inner)
    path = tmp_path / "fwd.eml"
    path.write_bytes(bytes(outer))

    result = extract_email(path, ctx)

    [child] = result.children
    assert child.path.endswith(".eml")
    forwarded = ctx.blobs.path(child.sha256).read_bytes()
    assert b"Subject: original" in forwarded and b"inner body" in forwarded


def test_email_nested_too_deep_is_a_bomb(tmp_path: Path, make_ctx) -> None:
    path = tmp_path / "order.eml"
    _message_with_attachment(path)
    with pytest.raises(BombFile, match="nested 3 levels deep"):
        extract(path, make_ctx(depth=3, max_nesting_depth=2))


def test_raw_windows_1256_headers_are_recovered(tmp_path: Path, ctx) -> None:
    # Old Arabic mail clients put windows-1256 bytes straight into headers.
    raw = (b"From: registry@example.org\r\nTo: desk@example.org\r\nSubject: "
           + "أمر توقيف".encode("cp1256")
           + b"\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
           b"--b\r\nContent-Type: text/plain\r\n\r\nbody\r\n--b\r\n"
           b"Content-Type: application/octet-stream\r\nContent-Disposition: attachment; "
           b'filename="' + "أمر.doc".encode("cp1256") + b'"\r\n\r\nDATA\r\n--b--\r\n')
    path = tmp_path / "raw.eml"
    path.write_bytes(raw)

    result = extract(path, ctx)

    assert result.metadata["subject"] == "أمر توقيف"
    assert [child.path for child in result.children] == ["attachments/أمر.doc"]
