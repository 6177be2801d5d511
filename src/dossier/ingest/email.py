"""E-mail messages (RFC 822 / .eml): headers, body text, and attachments as children.

The headers that identify a message (From, To, Cc, Date, Subject, Message-ID) go into the
metadata and at the top of page 1, so that a search for a sender or a subject finds the
message itself. Encoded words ("=?windows-1256?B?...?=", common in Arabic mail) are decoded
by the standard library's modern policy.

The body is the text/plain part when there is one, else the HTML part as text. Every other
leaf part with content (attachments, inline images), except the other rendering of the body
(the HTML twin of a plain-text body), is stored in the blob store and returned as a child
named "attachments/<filename>"; the pipeline then extracts it like any other file. A
forwarded message (message/rfc822) becomes one child .eml, not a spill of its parts.
"""

from __future__ import annotations

import contextlib
import mimetypes
import re
from email import policy
from email.header import decode_header, make_header
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from dossier.ingest.context import ExtractContext, check_nesting
from dossier.ingest.detect import MIME
from dossier.ingest.encoding import decode_text
from dossier.ingest.model import BombFile, Child, CorruptFile, Extraction, PageText
from dossier.ingest.textfile import html_to_text, paginate

TOOL = "python email (policy default)"
HEADER_FIELDS = ("From", "To", "Cc", "Date", "Subject", "Message-ID")
_UNSAFE_NAME = re.compile(r"[\x00-\x1f/\\:]+")
_NAME_PARAMETER = re.compile(r"""\b(?:file)?name\s*=\s*"?([^";]+)""", re.IGNORECASE)


def extract_email(path: Path, ctx: ExtractContext) -> Extraction:
    """Headers and body text of a message; attachments written to the blob store as children."""
    check_nesting(ctx, "the e-mail")
    with open(path, "rb") as stream:
        try:
            message = BytesParser(policy=policy.default).parse(stream)
        except (ValueError, TypeError, IndexError) as exc:
            raise CorruptFile(f"the e-mail cannot be parsed: {exc}") from exc
    assert isinstance(message, EmailMessage)
    headers = _headers(message)
    body_part = _body_part(message)
    body = _part_text(body_part) if body_part is not None else ""
    children, names = _attachments(message, body_part, ctx)
    lines = [f"{field}: {headers[field.lower()]}" for field in HEADER_FIELDS
             if headers.get(field.lower())]
    if names:
        lines.append("Attachments: " + ", ".join(names))
    text = "\n".join(lines) + "\n\n" + body
    pages = [PageText(number, page, "text", TOOL)
             for number, page in enumerate(paginate(text.split("\n")), 1)]
    metadata: dict[str, Any] = dict(headers)
    if names:
        metadata["attachments"] = names
    defects = [type(defect).__name__ for defect in message.defects]
    if defects:
        metadata["defects"] = sorted(set(defects))
    return Extraction(media_type="email", mime=MIME["email"], pages=pages, children=children,
                      metadata=metadata)


def _raw_header(message: Message, name: str) -> str:
    """A header as it came, raw 8-bit bytes decoded like a text file (windows-1256 too).

    Old Arabic mail often puts windows-1256 bytes in headers without encoded words; the
    standard policy turns each of them into U+FFFD, so they are recovered from the raw value.
    """
    raw = " ".join(value for key, value in message.raw_items() if key.lower() == name.lower())
    if any("\udc80" <= ch <= "\udcff" for ch in raw):
        raw = decode_text(raw.encode("ascii", errors="surrogateescape"))[0]
    with contextlib.suppress(ValueError, LookupError, UnicodeError, IndexError):
        raw = str(make_header(decode_header(raw)))
    return " ".join(raw.split())


def _header_text(message: Message, name: str) -> str:
    """A header's decoded text; one the parser chokes on or garbles is taken raw."""
    try:
        values = message.get_all(name) or []
        text = " ".join(" ".join(str(value).split()) for value in values)
    except (ValueError, TypeError, IndexError, LookupError, AttributeError):
        return _raw_header(message, name)
    return _raw_header(message, name) if "\ufffd" in text else text


def _headers(message: Message) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    for field in (*HEADER_FIELDS, "In-Reply-To", "References"):
        value = _header_text(message, field)
        if value:
            headers[field.lower()] = value
    if "date" in headers:
        with contextlib.suppress(TypeError, ValueError, IndexError):  # an unparseable date
            headers["date_iso"] = parsedate_to_datetime(headers["date"]).isoformat()
    return headers


def _body_part(message: EmailMessage) -> Message | None:
    try:
        return message.get_body(preferencelist=("plain", "html"))
    except (KeyError, ValueError, TypeError, LookupError):
        return None


def _payload_bytes(part: Message) -> bytes:
    try:
        payload = part.get_payload(decode=True)
    except (ValueError, TypeError, LookupError):
        payload = None
    if isinstance(payload, bytes):
        return payload
    raw = part.get_payload()
    return raw.encode("utf-8", errors="replace") if isinstance(raw, str) else b""


def _part_text(part: Message) -> str:
    """Text of a text/plain or text/html part, in its declared charset or a sniffed one."""
    data = _payload_bytes(part)
    charset = part.get_content_charset()
    text = None
    if charset:
        try:
            text = data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            text = None  # a wrong or unknown label: sniff instead
    if text is None:
        text, _encoding = decode_text(data)
    if part.get_content_subtype() == "html":
        text, _info = html_to_text(text)
    return text.replace("\r\n", "\n").strip()


def _leaves(part: Message, parent: str = "") -> list[tuple[Message, str]]:
    """Leaf parts in order with their parent's content type; a forwarded message is a leaf."""
    if part.get_content_type() == "message/rfc822" or not part.is_multipart():
        return [(part, parent)]
    leaves: list[tuple[Message, str]] = []
    payload = part.get_payload()
    for sub in payload if isinstance(payload, list) else []:
        if isinstance(sub, Message):
            leaves += _leaves(sub, part.get_content_type())
    return leaves


def _is_alternative_body(part: Message, parent: str) -> bool:
    """Another rendering of the body (the HTML twin of a plain-text body), not an attachment."""
    return (parent == "multipart/alternative" and part.get_content_maintype() == "text"
            and part.get_content_disposition() != "attachment" and not part.get_filename())


def _filename(part: Message, index: int) -> str:
    try:
        name = part.get_filename()
    except (ValueError, TypeError, LookupError, IndexError):
        name = None
    if name is None or "\ufffd" in name:
        for header in ("Content-Disposition", "Content-Type"):
            match = _NAME_PARAMETER.search(_raw_header(part, header))
            if match:
                name = match.group(1)
                break
    if name:
        name = _UNSAFE_NAME.sub("_", name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]).strip(" .")
    if not name:
        content_type = part.get_content_type()
        extension = ".eml" if content_type == "message/rfc822" else \
            (mimetypes.guess_extension(content_type) or ".bin")
        name = f"part-{index}{extension}"
    return name


def _attachments(message: EmailMessage, body: Message | None,
                 ctx: ExtractContext) -> tuple[list[Child], list[str]]:
    children: list[Child] = []
    names: list[str] = []
    used: set[str] = set()
    for index, (part, parent) in enumerate(_leaves(message), 1):
        if part is body or _is_alternative_body(part, parent):
            continue
        if part.get_content_type() == "message/rfc822":
            payload = part.get_payload()
            inner = payload[0] if isinstance(payload, list) and payload else None
            data = inner.as_bytes() if isinstance(inner, Message) else _payload_bytes(part)
        else:
            data = _payload_bytes(part)
        if not data:
            continue
        if len(data) > ctx.limits.max_member_bytes:
            raise BombFile(f"an attachment of the e-mail is {len(data):,} bytes, more than the "
                           f"limit of {ctx.limits.max_member_bytes:,}")
        name = _filename(part, index)
        stem, dot, extension = name.rpartition(".")
        unique, counter = name, 2
        while unique in used:
            unique = f"{stem} ({counter}).{extension}" if dot else f"{name} ({counter})"
            counter += 1
        used.add(unique)
        sha256, size = ctx.blobs.put_bytes(data)
        children.append(Child(path=f"attachments/{unique}", sha256=sha256, size=size))
        names.append(unique)
    return children, names
