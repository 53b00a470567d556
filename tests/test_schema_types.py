"""The types generated from metadata.schema.json: current, and true of every committed document."""

from __future__ import annotations

import json
import types
import typing
from pathlib import Path

from train import metadata_types, schema_types
from train.metadata import MODELS_DIR, RUNS_DIR

NotRequired = typing.NotRequired


def test_committed_types_are_generated_from_the_schema() -> None:
    assert schema_types.main(["--check"]) == 0, "run: python -m train.schema_types"


def mismatches(value: object, hint: object, where: str) -> list[str]:
    """Where ``value`` (parsed JSON) is not of the type ``hint``, found by walking both.

    An oracle for the generator independent of it: the documents were validated against the
    schema when they were written, so any mismatch is a type the generator got wrong.
    """
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is typing.Any:
        return []
    if typing.is_typeddict(hint):
        if not isinstance(value, dict):
            return [f"{where}: {type(value).__name__}, not an object"]
        fields = typing.get_type_hints(hint)
        problems = [f"{where}.{key}: not declared in {hint.__name__}" for key in value if key not in fields]
        problems += [f"{where}.{key}: required, missing" for key in hint.__required_keys__ if key not in value]
        for key, field in fields.items():
            if key in value:
                problems += mismatches(value[key], field, f"{where}.{key}")
        return problems
    if origin in (typing.Union, types.UnionType):
        options = [mismatches(value, option, where) for option in args]
        return [] if any(not o for o in options) else min(options, key=len)
    if origin is typing.Literal:
        return [] if value in args else [f"{where}: {value!r} not one of {args}"]
    if origin is list:
        if not isinstance(value, list):
            return [f"{where}: not a list"]
        return [p for i, item in enumerate(value) for p in mismatches(item, args[0], f"{where}[{i}]")]
    if origin is dict:
        if not isinstance(value, dict):
            return [f"{where}: not an object"]
        return [p for key, item in value.items() for p in mismatches(item, args[1], f"{where}.{key}")]
    expected = {int: int, float: (int, float), str: str, bool: bool, type(None): type(None)}[hint]  # type: ignore[index]
    if isinstance(value, bool) and hint is not bool:
        return [f"{where}: a boolean, not {hint}"]
    return [] if isinstance(value, expected) else [f"{where}: {value!r} is not {hint}"]


def documents() -> list[tuple[Path, str]]:
    """Every committed JSON document the schema describes, with the name of the type it should have."""
    found = []
    for meta_path in sorted(MODELS_DIR.glob("*/metadata.json")):
        found.append((meta_path, "ModelMetadata"))
        assets = json.loads(meta_path.read_text())["assets"]
        found += [
            (meta_path.parent / assets[name], name.title())
            for name in ("parity", "activations", "gallery")
            if name in assets
        ]
    found += [(path, "Run") for path in sorted(RUNS_DIR.glob("*.json")) if "config" in json.loads(path.read_text())]
    return found


def test_every_committed_document_has_its_generated_type() -> None:
    checked = documents()
    assert len({name for _, name in checked}) == 5, "a model, its parity, activations and gallery, and runs"
    problems = [
        p
        for path, name in checked
        for p in mismatches(
            json.loads(path.read_text()), getattr(metadata_types, name), str(path.relative_to(MODELS_DIR.parent))
        )
    ]
    assert problems == []


def test_the_oracle_sees_a_wrong_type() -> None:
    meta = json.loads(next(MODELS_DIR.glob("*/metadata.json")).read_text())
    meta["input"]["image_size"] = "28"
    del meta["weights"]
    meta["surprise"] = 1
    found = mismatches(meta, metadata_types.ModelMetadata, "m")
    assert "m.input.image_size: '28' is not <class 'int'>" in found
    assert "m.weights: required, missing" in found
    assert "m.surprise: not declared in ModelMetadata" in found
