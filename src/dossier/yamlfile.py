"""Reading the YAML files that hold Dossier's domain as data (frameworks, rules, vocabularies).

One reader so that every file, shipped or given by a user, fails the same way: with the
domain's own error naming the file, never a bare parser traceback.
"""

from __future__ import annotations

from typing import Any

import yaml


def read_yaml(name: str, text: str, error: type[Exception]) -> Any:
    """The data of YAML ``text``; a syntax error raises ``error`` naming the file ``name``."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise error(f"{name}: not valid YAML: {exc}") from None
