"""The JSON Schema of an episode file, generated from the model (``briefing schema``)."""

from __future__ import annotations

import json

from briefing.model import Episode


def schema_json() -> str:
    schema = Episode.model_json_schema(mode="validation")
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
