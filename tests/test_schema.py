"""The published JSON Schema is the one the models generate, and it accepts the example."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import jsonschema
import pytest
from ruamel.yaml import YAML

from tests.conftest import EXAMPLE, REPO
from typeset.source.schema import json_schema


@pytest.mark.parametrize("kind", ["document", "text"])
def test_published_schema_is_generated_from_the_models(kind: str) -> None:
    published = json.loads((REPO / "docs" / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8"))
    assert published == json_schema(kind), "run: python -m typeset schema {kind} > docs/schema/{kind}.schema.json"


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


def test_example_validates_and_a_typo_does_not() -> None:
    validator = jsonschema.Draft202012Validator(json_schema("document"))
    data = _plain(YAML(typ="safe").load((EXAMPLE / "document.yaml").read_text(encoding="utf-8")))
    validator.validate(data)
    data["groups"][0]["numbering"] = "sometimes"
    data["groups"][0]["entries"][0]["countri"] = "CD"
    assert len(list(validator.iter_errors(data))) == 2
