"""data/schema/episode.schema.json is generated from the model and must not go stale."""

from __future__ import annotations

import json

from briefing.schema import schema_json
from tests.conftest import ROOT, SEED_JSON

SCHEMA_FILE = ROOT / "data" / "schema" / "episode.schema.json"


def test_committed_schema_is_current() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_json(), (
        "the model changed: run `briefing schema > data/schema/episode.schema.json`"
    )


def test_schema_describes_the_contract() -> None:
    schema = json.loads(schema_json())
    assert schema["title"] == "Episode"
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == {"schema_version", "id", "title"}
    stored = json.loads(SEED_JSON.read_text(encoding="utf-8"))
    assert set(stored) <= set(schema["properties"])
