"""Combining two Tesseract readings of one page line by line, from their TSV word tables.

Tesseract's page layout hardly depends on the language models, so two runs over the same
image with different languages find the same lines, in boxes that differ by a few pixels
around the glyphs each model recognised; only the words read inside them differ. That lets
`ocr.recognise` keep, for every line, the better of a reading with all configured languages
and one with the Arabic-script languages only (see `ocr` for the measurements behind the
rule in `merge_readings`).
"""

from __future__ import annotations

from dataclasses import dataclass

SURE_LATIN_CONFIDENCE = 90.0


@dataclass(frozen=True)
class OcrLine:
    """One text line of a TSV table: where it is and the words read in it (reading order)."""

    block: int
    paragraph: int
    box: tuple[int, int, int, int]
    words: tuple[str, ...]
    confidences: tuple[float, ...]

    @property
    def confidence(self) -> float:
        return sum(self.confidences) / len(self.confidences) if self.confidences else 0.0

    def has_sure_latin_word(self) -> bool:
        """A word in Latin letters read with high confidence: a real Latin word, not an
        Arabic one garbled into Latin letters (those scored 18-78 in our measurements, real
        Latin words 94-97)."""
        return any(confidence >= SURE_LATIN_CONFIDENCE and len(word) >= 2
                   and any(ch.isalpha() for ch in word)
                   and all(ch.isascii() or not ch.isalpha() for ch in word)
                   for word, confidence in zip(self.words, self.confidences, strict=True))

    def letters(self) -> tuple[int, int]:
        """(Arabic-script letters, other letters) in the line."""
        arabic = other = 0
        for word in self.words:
            for ch in word:
                if not ch.isalpha():
                    continue
                if "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f":
                    arabic += 1
                else:
                    other += 1
        return arabic, other


def parse_lines(tsv: str) -> list[OcrLine]:
    """The lines of a Tesseract TSV table, in the order Tesseract wrote them."""
    lines: list[OcrLine] = []
    header: tuple[int, int, tuple[int, int, int, int]] | None = None
    words: list[str] = []
    confidences: list[float] = []

    def close() -> None:
        if header is not None:
            block, paragraph, box = header
            lines.append(OcrLine(block, paragraph, box, tuple(words), tuple(confidences)))

    for row in tsv.splitlines()[1:]:
        columns = row.split("\t")
        if len(columns) < 12 or not columns[0].isdigit():
            continue
        level = int(columns[0])
        if level == 4:
            close()
            left, top, width, height = (int(value) for value in columns[6:10])
            header = (int(columns[2]), int(columns[3]), (left, top, width, height))
            words, confidences = [], []
        elif level == 5 and header is not None and columns[11].strip():
            words.append(columns[11].strip())
            try:
                confidences.append(max(float(columns[10]), 0.0))
            except ValueError:
                confidences.append(0.0)
    close()
    return lines


def lines_text(lines: list[OcrLine]) -> str:
    """Plain text from lines: a line per line, a blank line between paragraphs."""
    out: list[str] = []
    previous: tuple[int, int] | None = None
    for line in lines:
        if not line.words:
            continue
        paragraph = (line.block, line.paragraph)
        if previous is not None and paragraph != previous:
            out.append("")
        out.append(" ".join(line.words))
        previous = paragraph
    return "\n".join(out)


def _overlap(one: OcrLine, two: OcrLine) -> float:
    """How much two line boxes cover each other: the smaller of the vertical and horizontal
    overlaps, each as a share of the smaller box (0.0 to 1.0)."""
    (left1, top1, width1, height1), (left2, top2, width2, height2) = one.box, two.box
    vertical = min(top1 + height1, top2 + height2) - max(top1, top2)
    horizontal = min(left1 + width1, left2 + width2) - max(left1, left2)
    if vertical <= 0 or horizontal <= 0:
        return 0.0
    return min(vertical / max(min(height1, height2), 1), horizontal / max(min(width1, width2), 1))


def merge_readings(first: list[OcrLine], second: list[OcrLine]) -> tuple[str, float, int]:
    """(text, mean word confidence, lines taken from `second`).

    `first` is the reading with every configured language, `second` the Arabic-only one.
    Lines are paired by their boxes (paragraph numbers can differ between the runs). A line
    that `first` read as mostly Arabic is taken from `second`, unless `first` found a Latin
    word in it with high confidence (an English name in an Arabic sentence, which the Arabic
    model would garble); any other line comes from the reading with the higher mean word
    confidence (`first` on a tie), so that Latin lines stay Latin and Arabic words garbled
    into Latin letters can still be recovered. A line without a partner keeps `first`.
    """
    chosen: list[OcrLine] = []
    taken = 0
    unpaired = list(second)
    for one in first:
        partner = max(unpaired, key=lambda two: _overlap(one, two), default=None)
        if partner is None or _overlap(one, partner) < 0.5:
            chosen.append(one)
            continue
        unpaired.remove(partner)
        arabic, other = one.letters()
        mostly_arabic = arabic > other and not one.has_sure_latin_word()
        if mostly_arabic or partner.confidence > one.confidence:
            chosen.append(OcrLine(one.block, one.paragraph, one.box, partner.words,
                                  partner.confidences))
            taken += partner.words != one.words
        else:
            chosen.append(one)
    confidences = [value for line in chosen for value in line.confidences]
    mean = sum(confidences) / len(confidences) if confidences else 0.0
    return lines_text(chosen), mean, taken
