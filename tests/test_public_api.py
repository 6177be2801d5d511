"""The public surface: every name in ``dossier.__all__`` resolves, and nothing else does."""

from __future__ import annotations

import importlib

import pytest

import dossier


def test_every_public_name_resolves() -> None:
    for name in dossier.__all__:
        assert getattr(dossier, name) is not None, name


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'secret'"):
        dossier.secret  # noqa: B018


def test_version_matches_the_package_metadata() -> None:
    metadata = importlib.import_module("importlib.metadata")
    assert dossier.__version__ == metadata.version("dossier")
