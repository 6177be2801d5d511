"""The page image Tesseract read, decoded to grey levels once, when a repair first needs it.

The repairs made after Tesseract's run (`ocr_dashes`, `ocr_numbers`) measure the ink of the
page. Most pages need neither, and decoding a page again costs about as much as the
measuring itself, so the image is decoded only when asked for, and only once.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image


class PageGrey:
    """A page (an image, or the file Tesseract read) as a grey-level array, decoded when
    first called."""

    def __init__(self, page: Image.Image | Path) -> None:
        self._page = page
        self._grey: np.ndarray | None = None

    def __call__(self) -> np.ndarray:
        if self._grey is None:
            if isinstance(self._page, Image.Image):
                self._grey = np.asarray(self._page.convert("L"))
            else:
                with Image.open(self._page) as image:
                    self._grey = np.asarray(image.convert("L"))
        return self._grey
