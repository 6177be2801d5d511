"""Legal frameworks as data: offences, their elements, and the modes of liability.

A case is built element by element, so the elements of every offence live in YAML files
(`cases/data/frameworks/<id>.yaml`, one per framework) that code, the proof matrix, the
report and the documentation all read. They are validated once, on first use: a malformed
file is an error at start naming the file and the field ("rome.yaml:
offences.7-1-f.elements[2].kind: ..."), never a matrix that silently lacks an element.

What the files say is an indicative summary of public law, in our own words, with the
citation of each element: never legal advice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Any

from dossier.yamlfile import read_yaml

__all__ = [
    "ELEMENT_KINDS",
    "Element",
    "Framework",
    "FrameworkError",
    "Mode",
    "Offence",
    "charge_elements",
    "framework",
    "frameworks",
    "load_frameworks",
]

ELEMENT_KINDS = ("contextual", "conduct", "circumstance", "consequence", "mental")
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]*")

_FRAMEWORK_FIELDS = ("id", "title", "citation", "disclaimer", "offences", "modes")
_PART_FIELDS = ("title", "citation", "elements")
_ELEMENT_FIELDS = ("id", "kind", "text", "citation")


class FrameworkError(ValueError):
    """A framework file that does not say what a case needs, or an unknown framework,
    offence or mode; the message names the file and the field."""


@dataclass(frozen=True)
class Element:
    id: str
    kind: str
    text: str
    citation: str


@dataclass(frozen=True)
class Offence:
    id: str
    title: str
    citation: str
    elements: tuple[Element, ...]


@dataclass(frozen=True)
class Mode:
    id: str
    title: str
    citation: str
    elements: tuple[Element, ...]


@dataclass(frozen=True)
class Framework:
    id: str
    title: str
    citation: str
    disclaimer: str
    offences: dict[str, Offence]
    modes: dict[str, Mode]

    def as_dict(self, *, elements: bool = True) -> dict[str, Any]:
        def part(p: Offence | Mode) -> dict[str, Any]:
            found: dict[str, Any] = {"id": p.id, "title": p.title, "citation": p.citation}
            if elements:
                found["elements"] = [{"id": e.id, "kind": e.kind, "text": e.text,
                                      "citation": e.citation} for e in p.elements]
            return found

        return {"id": self.id, "title": self.title, "citation": self.citation,
                "disclaimer": self.disclaimer,
                "offences": [part(o) for o in self.offences.values()],
                "modes": [part(m) for m in self.modes.values()]}


# -- loading and validation --------------------------------------------------------------------

def _text(file: str, where: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise FrameworkError(f"{file}: {where}: expected a non-empty text, got {value!r}")
    return " ".join(value.split())


def _mapping(file: str, where: str, value: Any, fields: Iterable[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise FrameworkError(f"{file}: {where or 'the file'}: expected a mapping, got "
                             f"{type(value).__name__}")
    allowed = tuple(fields)
    unknown = [str(key) for key in value if key not in allowed]
    if unknown:
        raise FrameworkError(f"{file}: {_at(where, unknown[0])}: unknown field; the fields "
                             f"are {', '.join(allowed)}")
    missing = [key for key in allowed if key not in value]
    if missing:
        raise FrameworkError(f"{file}: {_at(where, missing[0])}: missing")
    return value


def _at(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _identifier(file: str, where: str, value: Any) -> str:
    text = str(value) if isinstance(value, str | int) else value
    if not isinstance(text, str) or not ID_PATTERN.fullmatch(text):
        raise FrameworkError(f"{file}: {where}: {value!r} is not an id (lower-case letters, "
                             "digits, '.', '_' and '-', starting with a letter or digit)")
    return text


def _elements(file: str, where: str, value: Any, seen: dict[str, str]) -> tuple[Element, ...]:
    if not isinstance(value, list) or not value:
        raise FrameworkError(f"{file}: {where}: expected a non-empty list of elements")
    found = []
    for index, entry in enumerate(value):
        at = f"{where}[{index}]"
        entry = _mapping(file, at, entry, _ELEMENT_FIELDS)
        element_id = _identifier(file, f"{at}.id", entry["id"])
        if element_id in seen:
            raise FrameworkError(f"{file}: {at}.id: {element_id!r} is already the id of "
                                 f"{seen[element_id]}")
        seen[element_id] = at
        kind = entry["kind"]
        if kind not in ELEMENT_KINDS:
            raise FrameworkError(f"{file}: {at}.kind: {kind!r} is not one of "
                                 f"{', '.join(ELEMENT_KINDS)}")
        found.append(Element(element_id, kind, _text(file, f"{at}.text", entry["text"]),
                             _text(file, f"{at}.citation", entry["citation"])))
    return tuple(found)


def _parts(file: str, section: str, value: Any, seen: dict[str, str]
           ) -> dict[str, tuple[str, str, tuple[Element, ...]]]:
    if not isinstance(value, dict) or not value:
        raise FrameworkError(f"{file}: {section}: expected a non-empty mapping of id → entry")
    found = {}
    for key, entry in value.items():
        part_id = _identifier(file, f"{section}.{key}", key)
        where = f"{section}.{part_id}"
        entry = _mapping(file, where, entry, _PART_FIELDS)
        found[part_id] = (_text(file, f"{where}.title", entry["title"]),
                          _text(file, f"{where}.citation", entry["citation"]),
                          _elements(file, f"{where}.elements", entry["elements"], seen))
    return found


def parse_framework(file: str, data: Any, expected_id: str | None = None) -> Framework:
    """A framework from the parsed YAML of ``file``; FrameworkError names file and field."""
    data = _mapping(file, "", data, _FRAMEWORK_FIELDS)
    framework_id = _identifier(file, "id", data["id"])
    if expected_id is not None and framework_id != expected_id:
        raise FrameworkError(f"{file}: id: {framework_id!r} is not the file's name "
                             f"{expected_id!r}")
    seen: dict[str, str] = {}
    offences = {}
    for offence_id, (title, citation, elements) in _parts(
            file, "offences", data["offences"], seen).items():
        kinds = {element.kind for element in elements}
        if "conduct" not in kinds:
            raise FrameworkError(f"{file}: offences.{offence_id}.elements: an offence needs a "
                                 "conduct element")
        if not kinds & {"mental", "contextual"}:
            raise FrameworkError(f"{file}: offences.{offence_id}.elements: an offence needs a "
                                 "mental or contextual element")
        offences[offence_id] = Offence(offence_id, title, citation, elements)
    modes = {mode_id: Mode(mode_id, title, citation, elements) for mode_id, (
        title, citation, elements) in _parts(file, "modes", data["modes"], seen).items()}
    return Framework(framework_id, _text(file, "title", data["title"]),
                     _text(file, "citation", data["citation"]),
                     _text(file, "disclaimer", data["disclaimer"]), offences, modes)


def _read(name: str, text: str) -> Framework:
    data = read_yaml(name, text, FrameworkError)
    return parse_framework(name, data, expected_id=name.removesuffix(".yaml"))


def _load_files(files: Iterable[Traversable | Path]) -> dict[str, Framework]:
    found: dict[str, Framework] = {}
    for file in sorted(files, key=lambda f: f.name):
        framework = _read(file.name, file.read_text("utf-8"))
        found[framework.id] = framework
    return found


def load_frameworks(directory: Path | None = None) -> dict[str, Framework]:
    """Every framework of ``directory`` (default: the shipped ones), read and validated now.

    What `dossier frameworks check --directory` runs, and what a test runs on a file it wrote.
    """
    files: Sequence[Traversable | Path]
    if directory is None:
        folder = resources.files("dossier.cases").joinpath("data", "frameworks")
        files = [f for f in folder.iterdir() if f.name.endswith(".yaml")]
    else:
        if not directory.is_dir():
            raise FrameworkError(f"{directory}: not a folder of framework files")
        files = sorted(directory.glob("*.yaml"))
    found = _load_files(files)
    if not found:
        raise FrameworkError(f"{directory or 'cases/data/frameworks'}: no framework files "
                             "(*.yaml)")
    return found


@cache
def frameworks() -> dict[str, Framework]:
    """The shipped frameworks by id, loaded and validated once."""
    return load_frameworks()


def framework(framework_id: str) -> Framework:
    """The shipped framework ``framework_id``; FrameworkError lists the known ones."""
    known = frameworks()
    if framework_id not in known:
        raise FrameworkError(f"unknown framework {framework_id!r}; one of {', '.join(known)}")
    return known[framework_id]


def charge_elements(framework_id: str, offence: str, mode: str) -> tuple[Element, ...]:
    """What must be proven for a charge: the offence's elements, then the mode's."""
    found = framework(framework_id)
    if offence not in found.offences:
        raise FrameworkError(f"framework {framework_id}: unknown offence {offence!r}; one of "
                             f"{', '.join(found.offences)}")
    if mode not in found.modes:
        raise FrameworkError(f"framework {framework_id}: unknown mode of liability {mode!r}; "
                             f"one of {', '.join(found.modes)}")
    return found.offences[offence].elements + found.modes[mode].elements
