"""Specs are read with libyaml when PyYAML has it, and that changes nothing a user can see."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.specs.corpus import HERE
from vod_provider.spec import yaml_nodes

CORPUS = sorted(HERE.glob("*/*/*.yaml")) + sorted((HERE.parents[1] / "specs").glob("**/*.yaml"))


def test_the_fast_loader_is_libyaml() -> None:
    assert yaml.__with_libyaml__ and yaml_nodes._FAST_LOADER is yaml.CSafeLoader


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_libyaml_and_pure_python_read_every_corpus_file_alike(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = path.read_text(encoding="utf-8")
    fast = yaml_nodes.read_yaml(text)
    monkeypatch.setattr(yaml_nodes, "_FAST_LOADER", yaml.SafeLoader)
    pure = yaml_nodes.read_yaml(text)

    assert (fast.value, fast.locations, fast.key_locations, fast.issues) == (
        pure.value, pure.locations, pure.key_locations, pure.issues)
