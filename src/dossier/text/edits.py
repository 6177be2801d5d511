"""Edit distance with a limit, for comparing a misread word or name with the registry's."""

from __future__ import annotations


def edit_distance(a: str, b: str, limit: int) -> int | None:
    """How many insertions, deletions or substitutions make ``a`` into ``b`` (Levenshtein),
    when that is at most ``limit``; None otherwise, found as soon as the limit is passed."""
    if abs(len(a) - len(b)) > limit:
        return None
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, start=1):
        current = [i]
        for j, y in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        if min(current) > limit:
            return None
        previous = current
    return previous[-1] if previous[-1] <= limit else None


def deletions(word: str) -> set[str]:
    """The word and every word one letter shorter that it becomes by losing one: two words
    within one edit of each other share one of these (the index of a symmetric-deletion
    search)."""
    return {word} | {word[:i] + word[i + 1:] for i in range(len(word))}
