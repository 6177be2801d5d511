"""Plain text, CSV and HTML: encodings (windows-1256 above all), pages, visible text."""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.ingest.encoding import decode_text, plausibility
from dossier.ingest.extract import extract
from dossier.ingest.textfile import WORDS_PER_PAGE, extract_csv, extract_html, extract_text

ARABIC = ("تم توقيف المدعو سامر خليل في مدينة حمص وإحالته إلى الفرع 251 للتحقيق معه، "
          "ويرجى إعلامنا بالنتيجة.")
FRENCH = "Le témoin a été détenu à Damas ; ça s'est passé à la branche 235, dit-il."


def test_windows_1256_arabic_is_decoded_as_arabic(tmp_path: Path, ctx) -> None:
    path = tmp_path / "order.txt"
    path.write_bytes(ARABIC.encode("cp1256"))

    result = extract(path, ctx)

    assert result.media_type == "text"
    assert result.pages[0].text == ARABIC
    assert result.metadata["encoding"] == "cp1256"


@pytest.mark.parametrize("text", ["الفرع", "سامر خليل", "حمص"])
def test_even_a_few_arabic_words_in_windows_1256_are_not_mojibake(text: str) -> None:
    decoded, encoding = decode_text(text.encode("cp1256"))
    assert (decoded, encoding) == (text, "cp1256")


def test_iso_8859_6_arabic_is_not_read_as_windows_1256() -> None:
    decoded, encoding = decode_text("الفرع في دمشق وحمص".encode("iso8859_6"))
    assert decoded == "الفرع في دمشق وحمص" and encoding == "iso8859_6"


def test_french_in_windows_1252_is_decoded_as_french() -> None:
    decoded, encoding = decode_text(FRENCH.encode("cp1252"))
    assert decoded == FRENCH and encoding == "cp1252"


@pytest.mark.parametrize(("codec", "expected"), [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16-le"),
])
def test_unicode_files_and_byte_order_marks(tmp_path: Path, ctx, codec: str,
                                            expected: str) -> None:
    path = tmp_path / "note.txt"
    path.write_bytes((ARABIC + "\n" + FRENCH).encode(codec))

    result = extract_text(path, ctx)

    assert result.pages[0].text == ARABIC + "\n" + FRENCH
    assert result.metadata["encoding"] == expected


def test_mojibake_scores_below_the_right_reading() -> None:
    data = ARABIC.encode("cp1256")
    assert plausibility(data.decode("cp1256")) > plausibility(data.decode("cp1252"))


def test_long_text_is_cut_into_pages_and_at_form_feeds(tmp_path: Path, ctx) -> None:
    line = " ".join(f"word{i}" for i in range(10))
    lines = [line] * 700  # 7,000 words
    path = tmp_path / "log.txt"
    path.write_text("\n".join(lines) + "\fprinted page two\n", encoding="utf-8")

    result = extract_text(path, ctx)

    counts = [len(page.text.split()) for page in result.pages]
    assert counts[:3] == [WORDS_PER_PAGE, WORDS_PER_PAGE, 1000]
    assert result.pages[3].text == "printed page two"
    assert [page.number for page in result.pages] == [1, 2, 3, 4]


def test_one_enormous_line_is_cut_between_words(tmp_path: Path, ctx) -> None:
    path = tmp_path / "oneline.txt"
    path.write_text(" ".join(["w"] * (2 * WORDS_PER_PAGE + 5)), encoding="utf-8")

    result = extract_text(path, ctx)

    assert [len(page.text.split()) for page in result.pages] == [WORDS_PER_PAGE,
                                                                 WORDS_PER_PAGE, 5]


def test_csv_rows_stay_rows(tmp_path: Path, ctx) -> None:
    path = tmp_path / "victims.csv"
    path.write_bytes("id;الاسم;الفرع\n1;سامر خليل;251\n2;\"خالد; حسن\";215\n".encode("cp1256"))

    result = extract(path, ctx)

    assert result.media_type == "csv" and result.mime == "text/csv"
    assert result.pages[0].text.splitlines() == ["id\tالاسم\tالفرع", "1\tسامر خليل\t251",
                                                 "2\tخالد; حسن\t215"]
    assert result.metadata["delimiter"] == ";"
    assert result.metadata["rows"] == 3
    assert result.metadata["columns"] == ["id", "الاسم", "الفرع"]
    assert result.metadata["encoding"] == "cp1256"


def test_csv_with_a_byte_order_mark(tmp_path: Path, ctx) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes("name,branch\nOmar,251\nFadi,215\n".encode("utf-8-sig"))

    result = extract_csv(path, ctx)

    assert result.pages[0].text.splitlines()[0] == "name\tbranch"


HTML = """<!DOCTYPE html>
<html lang="ar"><head>
<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">
<title>تقرير الفرع 251</title>
<meta name="author" content="فريق التوثيق">
<style>body { color: red }</style>
<script>var secret = "do not index";</script>
</head><body>
<h1>تقرير</h1><p>تم توقيف   المدعو <b>سامر</b> خليل.</p>
<!-- a comment nobody sees -->
<table><tr><td>الاسم</td><td>الفرع</td></tr><tr><td>سامر</td><td>251</td></tr></table>
<noscript>enable javascript</noscript>
</body></html>"""


def test_html_visible_text_title_and_declared_charset(tmp_path: Path, ctx) -> None:
    path = tmp_path / "report.htm"
    path.write_bytes(HTML.encode("cp1256"))

    result = extract(path, ctx)

    assert result.media_type == "html"
    text = result.pages[0].text
    assert "تم توقيف المدعو سامر خليل." in text
    assert "الاسم\tالفرع" in text and "سامر\t251" in text
    for hidden in ("do not index", "color: red", "comment nobody", "enable javascript"):
        assert hidden not in text
    assert result.metadata["title"] == "تقرير الفرع 251"
    assert result.metadata["meta"]["author"] == "فريق التوثيق"
    assert result.metadata["encoding"] == "windows-1256"
    assert result.metadata["lang"] == "ar"


def test_html_without_a_charset_is_sniffed(tmp_path: Path, ctx) -> None:
    path = tmp_path / "page.html"
    path.write_bytes("<html><body><p>الفرع في دمشق</p></body></html>".encode("cp1256"))

    result = extract_html(path, ctx)

    assert result.pages[0].text == "الفرع في دمشق"
    assert result.metadata["encoding"] == "cp1256"


def test_nul_characters_never_reach_the_store(tmp_path: Path, ctx) -> None:
    path = tmp_path / "export.txt"
    path.write_bytes(b"record 1\x00 of the register" + b", and more of it" * 40)

    result = extract(path, ctx)

    assert result.media_type == "text"  # a stray NUL does not make a file binary
    assert "\x00" not in result.pages[0].text
    assert result.pages[0].text.startswith("record 1 of the register, and more")
