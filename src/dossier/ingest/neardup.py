"""Near-duplicate texts: the same order re-typed, re-scanned, or saved again with a new stamp.

MinHash over character shingles estimates the Jaccard similarity of two texts from two short
signatures; locality-sensitive hashing (LSH) over bands of the signature turns "find similar
texts" into exact key look-ups a database can answer.

Choices, measured on synthetic Arabic orders (one form, different names, numbers and dates)
with simulated OCR noise (letter confusions, lost characters, split and merged words):

* the text is normalised by `dossier.text.normalize` (case, Arabic letter variants, digits,
  marks), then every character that is not a letter or digit is dropped, spaces included:
  OCR splits and merges words freely, and a shingle that spans a lost space should match;
* shingles of SHINGLE = 5 characters. Shorter shingles forgive OCR noise better but make
  different orders from the same form look alike: two orders from one template scored up to
  0.83 with 3-grams, 0.79 with 4-grams and 0.70 with 5-grams, while an order and its copy
  with 1 % (3 %) character errors scored on average 0.95 (0.83) with 5-grams. With the
  threshold at 0.8, re-typed and cleanly re-scanned copies group, different detainees' orders
  on one form stay apart, and noisy scans (5 % errors, mean 0.74) may not group;
* NUM_HASHES = BANDS × ROWS = 128, in 16 bands of 8 rows: a pair at similarity 0.8 becomes a
  candidate with probability 0.95, at 0.85 with 0.994, while a pair at 0.6 (siblings from
  one template) only with 0.24, which keeps the candidate look-ups of a leak full of forms
  small. Candidates are then confirmed with `estimate_similarity` (in grouping, the same
  estimate over many candidates at once: `grouping.KnownSignatures.similarities`).

A signature is bytes: one version byte, then NUM_HASHES little-endian uint32. Signatures of a
different version never compare as similar, so a change of normalisation cannot silently mix
incomparable signatures in one store.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

from dossier.text import normalize

SIGNATURE_VERSION = 1
SHINGLE = 5
BANDS = 16
ROWS = 8
NUM_HASHES = BANDS * ROWS
NEAR_DUPLICATE_THRESHOLD = 0.8

_MASK64 = (1 << 64) - 1
_CHUNK = 4096

_NOT_WORD = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    """The shared normalisation (`dossier.text.normalize`), then letters and digits only.

    A change to the shared normaliser changes signatures: bump SIGNATURE_VERSION with it.
    """
    return _NOT_WORD.sub("", normalize(text))


def _splitmix64(state: int) -> tuple[int, int]:
    state = (state + 0x9E3779B97F4A7C15) & _MASK64
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
    return state, z ^ (z >> 31)


def _coefficients() -> tuple[np.ndarray, np.ndarray]:
    """Fixed multipliers (odd) and offsets of the hash family, the same on every machine."""
    state = 0x5D0551E4  # any constant; changing it changes every signature
    values = []
    for _ in range(2 * NUM_HASHES):
        state, value = _splitmix64(state)
        values.append(value)
    multipliers = np.array(values[:NUM_HASHES], dtype=np.uint64) | np.uint64(1)
    offsets = np.array(values[NUM_HASHES:], dtype=np.uint64)
    return multipliers, offsets


_MULTIPLIERS, _OFFSETS = _coefficients()


_C1 = np.uint64(0xBF58476D1CE4E5B9)
_C2 = np.uint64(0x94D049BB133111EB)


def _mix_in_place(z: np.ndarray, scratch: np.ndarray) -> None:
    """The splitmix64 finaliser over an array, in place: spreads shingle codes over all 64
    bits. In-place operations spare an allocation per step on every page."""
    for shift, multiplier in ((30, _C1), (27, _C2), (31, None)):
        np.right_shift(z, np.uint64(shift), out=scratch)
        z ^= scratch
        if multiplier is not None:
            z *= multiplier


def _shingle_hashes(text: str) -> np.ndarray:
    """The distinct 64-bit hashes of the text's shingles, sorted."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    if len(codes) < SHINGLE:
        codes = np.concatenate([codes, np.zeros(SHINGLE - len(codes), dtype=np.uint64)])
    count = len(codes) - SHINGLE + 1
    combined = codes[:count].copy()
    scratch = np.empty_like(combined)
    for offset in range(SHINGLE):
        if offset:
            combined ^= codes[offset:count + offset]
        _mix_in_place(combined, scratch)
    combined.sort()
    distinct = np.empty(count, dtype=bool)
    distinct[0] = True
    np.not_equal(combined[1:], combined[:-1], out=distinct[1:])
    return combined[distinct]


def signature(text: str) -> bytes:
    """The MinHash signature of a text (1 + 4 × NUM_HASHES bytes).

    Each hash function is (a·x + b) mod 2^64 keeping the high 32 bits; taking the high bits
    of the minimum is the same as the minimum of the high bits, so the shift is done once
    per function instead of once per shingle.
    """
    shingles = _shingle_hashes(normalise(text))
    minimum = np.full(NUM_HASHES, np.iinfo(np.uint64).max, dtype=np.uint64)
    for start in range(0, len(shingles), _CHUNK):
        block = shingles[start:start + _CHUNK, None]
        hashed = np.empty((len(block), NUM_HASHES), dtype=np.uint64)
        np.multiply(block, _MULTIPLIERS, out=hashed)
        hashed += _OFFSETS
        np.minimum(minimum, hashed.min(axis=0), out=minimum)
    minimum >>= np.uint64(32)
    return bytes([SIGNATURE_VERSION]) + minimum.astype("<u4").tobytes()


MIN_FINGERPRINTED = 80  # characters of text below which an item gets no fingerprint


def item_fingerprint(page_texts: list[str]) -> tuple[bytes, list[str]] | None:
    """The signature and LSH keys of an item from its pages' texts, in page order; None when
    the text is too short to compare. The ingest's workers and the repair of a killed run's
    fingerprints both compute them here, so they cannot differ."""
    text = "\n".join(page_texts)
    if len(text.strip()) < MIN_FINGERPRINTED:
        return None
    sig = signature(text)
    return sig, lsh_keys(sig)


def signature_values(sig: bytes) -> np.ndarray | None:
    """The NUM_HASHES values of a signature of this version; None for another version."""
    if len(sig) != 1 + 4 * NUM_HASHES or sig[0] != SIGNATURE_VERSION:
        return None
    return np.frombuffer(sig, dtype="<u4", offset=1)


def estimate_similarity(sig_a: bytes, sig_b: bytes) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets (0.0 to 1.0)."""
    a, b = signature_values(sig_a), signature_values(sig_b)
    if a is None or b is None:
        return 0.0
    return float(np.count_nonzero(a == b)) / NUM_HASHES


def lsh_keys(sig: bytes) -> list[str]:
    """One key per band ("m1:07:<24 hex>"); texts sharing any key are candidates."""
    values = signature_values(sig)
    if values is None:
        raise ValueError("not a signature of this version")
    keys = []
    for band in range(BANDS):
        chunk = values[band * ROWS:(band + 1) * ROWS].astype("<u4").tobytes()
        digest = hashlib.blake2b(chunk, digest_size=12).hexdigest()
        keys.append(f"m{SIGNATURE_VERSION}:{band:02d}:{digest}")
    return keys
