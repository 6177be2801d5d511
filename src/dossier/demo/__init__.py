"""The synthetic world: a fake leak of security-service documents and its ground truth.

Tests, the demo and the benchmarks need material whose truth is known: who is named in a
document and how the name is spelled, who headed which branch when, what each page says.
Everything here is invented from generic name lists; no real victim is named.
"""

from dossier.demo.generate import generate_leak
from dossier.demo.world import World, build_world

__all__ = ["World", "build_world", "generate_leak"]
