"""Themes validated once: the checked values of a theme kept in the cache folder, and put
back together from them without pydantic's validator.

Importing and loading the default theme took 15 ms of CPU at every export's start-up,
before the workers fork, most of it building the validators of the theme's nine models
(measured in process on this project's 2-core machine; 6 ms with this module), for data
that is the same run after run. The same data under the same model code validates to the
same theme, so a theme already validated is kept as JSON under a name made of the theme's
data (after its ``extends`` are applied), this module's and the models' source and
pydantic's version, and read back with ``model_construct``, section by section, with the
fields the data set. The models are ``defer_build``: their validators are built only when
data is new.

An entry is checked as it is read (its digest, every field of every section there, each
value of a JSON type); one that is not whole is passed by and the data validated again,
so the theme never depends on what the cache holds. Pydantic has no such cache of its
own (its validators are built per process), hence this module.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, TypeVar

import pydantic
from pydantic import BaseModel

from briefing.byte_cache import Cache

_FORMAT = 1
"""Bumped when what an entry holds changes."""
_SOURCES = (Path(__file__).parent / "__init__.py", Path(__file__))
"""The modules whose code decides what a theme is."""
_SCALARS = (str, int, float, bool, type(None))

Model = TypeVar("Model", bound=BaseModel)


def plain_data(model: BaseModel) -> dict[str, Any]:
    """``model.model_dump(mode="json")`` for models of JSON-typed fields and sections, read
    from the fields (pydantic's serializer is built from the same schema as its validator)."""
    data: dict[str, Any] = {}
    for name, field in type(model).model_fields.items():
        if field.exclude:
            continue
        value = getattr(model, name)
        data[name] = plain_data(value) if isinstance(value, BaseModel) else value
    return data


def entry_key(data: dict[str, Any]) -> str | None:
    """The cache entry's name for a theme's resolved data; None when the models' source
    cannot be read (then nothing is kept)."""
    digest = hashlib.sha256(repr((_FORMAT, pydantic.VERSION)).encode())
    try:
        for source in _SOURCES:
            digest.update(source.read_bytes())
    except OSError:
        return None
    digest.update(repr(data).encode("utf-8", "surrogatepass"))
    return f"theme/{digest.hexdigest()[:32]}.json"


def to_entry(model: BaseModel) -> bytes:
    body = json.dumps(plain_data(model), ensure_ascii=True, sort_keys=True).encode("ascii")
    return hashlib.sha256(body).hexdigest().encode("ascii") + b"\n" + body


def from_entry(kind: type[Model], entry: bytes | None, data: dict[str, Any]) -> Model | None:
    """The model kept in ``entry`` for the resolved ``data``, or None when it is not whole."""
    if not entry:
        return None
    digest, _, body = entry.partition(b"\n")
    if hashlib.sha256(body).hexdigest().encode("ascii") != digest:
        return None
    try:
        values = json.loads(body)
    except ValueError:
        return None
    return _constructed(kind, values, data)


def _constructed(kind: type[Model], values: Any, given: Any) -> Model | None:
    """``kind`` from its checked ``values``; its fields set are those ``given`` names, as
    validation of ``given`` would have them."""
    kept = {name for name, field in kind.model_fields.items() if not field.exclude}
    if not isinstance(values, dict) or set(values) != kept:
        return None
    given = given if isinstance(given, dict) else {}
    fields: dict[str, Any] = {}
    for name, field in kind.model_fields.items():
        if field.exclude:
            fields[name] = field.get_default(call_default_factory=False)
            continue
        value, section = values[name], field.annotation
        if isinstance(section, type) and issubclass(section, BaseModel):
            value = _constructed(section, value, given.get(name))
            if value is None:
                return None
        elif not isinstance(value, _SCALARS):
            return None
        fields[name] = value
    return kind.model_construct(_fields_set={name for name in given if name in fields}, **fields)


def validated(kind: type[Model], data: dict[str, Any], cache: Cache | None) -> Model:
    """``kind.model_validate(data)``, or the same model from ``cache`` when this data has
    been validated before; a ``ValidationError`` as validation raises it."""
    key = entry_key(data) if cache is not None else None
    if cache is None or key is None:
        return kind.model_validate(data)
    kept = from_entry(kind, cache.get(key), data)
    if kept is not None:
        return kept
    model = kind.model_validate(data)
    cache.put(key, to_entry(model))
    return model
