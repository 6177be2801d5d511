"""The page image Tesseract read, decoded to grey levels once, when a repair first needs it.

The repairs made after Tesseract's run (`ocr_dashes`, `ocr_numbers`) measure the ink of the
page. Most pages need neither, and decoding a page again costs about as much as the
measuring itself, so the image is decoded only when asked for, and only once.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image


class PageGrey:
    """A page (an image, a function that makes it, or the file Tesseract read) as a
    grey-level array, made when first called."""

    def __init__(self, page: Image.Image | Callable[[], Image.Image] | Path) -> None:
        self._page = page
        self._grey: np.ndarray | None = None

    def __call__(self) -> np.ndarray:
        if self._grey is None:
            if isinstance(self._page, Path):
                with Image.open(self._page) as image:
                    self._grey = np.asarray(image.convert("L"))
            else:
                made = self._page if isinstance(self._page, Image.Image) else self._page()
                self._grey = np.asarray(made.convert("L"))
        return self._grey
