"""Turn a document context into a finished :class:`DocumentSpec` with the right template."""

from __future__ import annotations

from dossier.demo.documents import Context, DocBuilder
from dossier.demo.spec import DocumentSpec
from dossier.demo.templates_ar import TEMPLATES_AR
from dossier.demo.templates_latin import TEMPLATES_EN, TEMPLATES_FR
from dossier.demo.world import World

__all__ = ["compose"]

_TEMPLATES = {"ar": TEMPLATES_AR, "en": TEMPLATES_EN, "fr": TEMPLATES_FR}


def compose(world: World, ctx: Context, *, retyped: bool = False) -> DocumentSpec:
    """Write the document ``ctx`` describes; ``retyped`` gives a near-duplicate of it."""
    builder = DocBuilder(world, ctx, retyped=retyped)
    _TEMPLATES[ctx.language][ctx.kind](builder)
    return builder.spec
