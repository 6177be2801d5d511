"""Combining two Tesseract readings of one page line by line, from their TSV word tables.

Tesseract's page layout does not depend on the language models, so two runs over the same
image with different languages find the same lines in the same boxes; only the words read
inside them differ. That lets `ocr.recognise` keep, for every line, the better of a reading
with all configured languages and one with the Arabic-script languages only (see `ocr` for
the measurements behind the rule in `merge_readings`).
"""

from __future__ import annotations

from dataclasses import dataclass


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


def merge_readings(first: list[OcrLine],
                   second: list[OcrLine]) -> tuple[str, float, int] | None:
    """(text, mean word confidence, lines taken from `second`), or None if the layouts differ.

    `first` is the reading with every configured language, `second` the Arabic-only one. A
    line that `first` read as mostly Arabic is taken from `second`; any other line from the
    reading with the higher mean word confidence (`first` on a tie), so that Latin lines stay
    Latin and Arabic words garbled into Latin letters by `first` can still be recovered.
    """
    layout = [(line.block, line.paragraph, line.box) for line in first]
    if layout != [(line.block, line.paragraph, line.box) for line in second]:
        return None
    chosen: list[OcrLine] = []
    taken = 0
    for one, two in zip(first, second, strict=True):
        arabic, other = one.letters()
        better = two if arabic > other or two.confidence > one.confidence else one
        chosen.append(better)
        taken += better is two and two.words != one.words
    confidences = [value for line in chosen for value in line.confidences]
    mean = sum(confidences) / len(confidences) if confidences else 0.0
    return lines_text(chosen), mean, taken
