"""Taking material in: walking, type detection, one extractor per format, OCR, the pipeline."""
