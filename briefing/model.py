"""The canonical episode: the contract between inputs and exporters.

The JSON stores each value once, as written. What exporters need beyond that
(seconds, numbers, units, currencies, horizon years, the segment an item falls
in) is derived here, so no exporter ever parses text.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections.abc import Iterator
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    PrivateAttr,
    StringConstraints,
    ValidationError,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from briefing.quoting import shown
from briefing.values import (
    Horizon,
    HorizonClass,
    Money,
    Quantity,
    format_timestamp,
    normalise_text,
    parse_horizon,
    parse_price,
    parse_quantity,
    parse_timestamp,
)

SCHEMA_VERSION = 1
MAX_TEXT_CHARS = 200_000
MAX_ITEMS = 3_000
MAX_EPISODE_CHARS = 4_000_000
MAX_EPISODE_LINE_BREAKS = 200_000
"""Limits an episode is refused beyond, chosen so that one at all of them renders in
every format in under two minutes and 2 GiB (README, "Limits"): what a render costs
grows with the items, the characters and, most of all in the PDF, the lines drawn."""


def _normalise(value: Any) -> Any:
    return normalise_text(value) if isinstance(value, str) else value


Text = Annotated[
    str,
    StringConstraints(min_length=1, max_length=MAX_TEXT_CHARS),
    # After the constraints, so it runs before them and they stay string checks
    # ("String should have at most 200000 characters", not "Value ... items").
    BeforeValidator(_normalise),
]
"""Any human-written text: normalised on the way in, never empty."""


def _timestamp(value: Any) -> int:
    if not isinstance(value, str):
        raise PydanticCustomError("timestamp_type", "expected a time as a string, MM:SS or H:MM:SS")
    try:
        return parse_timestamp(value)
    except ValueError as error:
        raise PydanticCustomError("timestamp", str(error)) from None


Timestamp = Annotated[
    int,
    PlainValidator(_timestamp),
    PlainSerializer(format_timestamp, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^(\d{1,2}:)?\d{1,2}:\d{2}$",
            "examples": ["07:51", "01:05:43"],
        }
    ),
]
"""``MM:SS`` or ``H:MM:SS`` in JSON, seconds in the model."""


def _json_integer(value: Any) -> Any:
    """A JSON integer only, as the published schema says (``"type": "integer"``): a JSON
    Schema validator refuses ``true`` and ``"146"`` there, which pydantic's lax mode
    would take as 1 and 146. ``146.0`` is an integer to JSON Schema, and stays one."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError("integer_type", f"expected a whole number, got {shown(value)}")
    return value


JsonInteger = BeforeValidator(_json_integer)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date(value: Any) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value  # from Python (ingest --published), already a date
    expected = f"expected a date as YYYY-MM-DD, e.g. 2025-10-17, got {shown(value)}"
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise PydanticCustomError("date", expected)
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise PydanticCustomError("date", f"{expected}: {error}") from None


IsoDate = Annotated[
    date,
    PlainValidator(_iso_date),
    PlainSerializer(date.isoformat, return_type=str),
    WithJsonSchema({"type": "string", "format": "date"}),
]
"""A calendar date as JSON writes it, ``YYYY-MM-DD``; nothing else (pydantic alone also
takes Unix times and ``2025-10-17T00:00:00``, which the published schema does not)."""

_RESERVED_IDS = {"con", "prn", "aux", "nul", "manifest", "episodes"} | {
    f"{device}{n}" for device in ("com", "lpt") for n in range(10)
}
_ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_LANGUAGE_PATTERN = r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$"
_URL_PATTERN = r"^https?://\S+$"


def _matching(pattern: str, kind: str, explanation: str) -> AfterValidator:
    """A pattern check whose error says what is expected, not which regex failed."""
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        # fullmatch: with match, "$" also matches before a final newline ("tiny\n").
        if not compiled.fullmatch(value):
            shown = value if len(value) <= 60 else value[:57] + "..."
            raise PydanticCustomError(kind, f"{explanation}, got {shown!r}")
        return value

    return AfterValidator(check)


def _not_reserved(value: str) -> str:
    if value in _RESERVED_IDS:
        message = f"{value!r} is reserved (a device name on Windows or a file the tool writes)"
        raise PydanticCustomError("reserved_id", message)
    return value


EpisodeId = Annotated[
    str,
    StringConstraints(max_length=80),
    _matching(_ID_PATTERN, "id", "must be lowercase letters and digits joined by single hyphens"),
    AfterValidator(_not_reserved),
    Field(
        description="Slug used for file names: lowercase letters, digits and single hyphens.",
        json_schema_extra={"pattern": _ID_PATTERN},
    ),
]
LanguageTag = Annotated[
    str,
    _matching(_LANGUAGE_PATTERN, "language", "must be a BCP-47 language tag such as en or pt-BR"),
    Field(
        description="BCP-47 language tag, e.g. en, zh, pt-BR.",
        json_schema_extra={"pattern": _LANGUAGE_PATTERN},
    ),
]
WatchUrl = Annotated[
    str,
    BeforeValidator(_normalise),
    StringConstraints(max_length=4000),
    _matching(_URL_PATTERN, "url", "must be an http:// or https:// address without spaces"),
    Field(
        description="http(s) link to the recording.", json_schema_extra={"pattern": _URL_PATTERN}
    ),
]


class _Record(BaseModel):
    # defer_build: an item's validator is built only if an item is validated on its own.
    # An episode's validator, built on the first episode validated, holds its items'
    # schemas; built at import, each model's own came on top (about 3 ms of start-up).
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class _Timed(_Record):
    """An item said at a moment of the episode; knows the segment it falls in."""

    _segment: Segment | None = PrivateAttr(default=None)

    @property
    def segment(self) -> Segment | None:
        # Straight from pydantic's dict of private values: ``self._segment`` goes through
        # BaseModel.__getattr__, a Python call that an exporter pays on every row.
        return self.__pydantic_private__["_segment"]  # type: ignore[index,no-any-return]


class Segment(_Record):
    at: Timestamp
    title: Text
    summary: Text | None = None


class _Valued(_Timed):
    """An item with a value as written; what is derived from it is read in the episode's
    language (set when the episode links its items) with the item's words as evidence."""

    _language: str = PrivateAttr(default="en")

    def _raw_value(self) -> str | None:
        raise NotImplementedError

    def _evidence(self) -> str:
        raise NotImplementedError

    @property
    def money(self) -> Money:
        raw = self._raw_value()
        return parse_price(raw, self._language, self._evidence()) if raw else Money(None, None)

    @property
    def quantity(self) -> Quantity:
        raw = self._raw_value()
        return parse_quantity(raw, self._language) if raw else Quantity(None, None)

    @property
    def amount(self) -> float | None:
        """The amount of money the value names, when it surely names one."""
        return self.money.amount

    @property
    def currency(self) -> str | None:
        """ISO 4217 code, e.g. USD for ``$`` (None when the evidence is unclear)."""
        return self.money.currency

    @property
    def number(self) -> float | None:
        """The number of a value that is not money (a range's first end), when certain."""
        return self.quantity.number

    @property
    def unit(self) -> str | None:
        """The unit as written after the number (``%`` for percentages), or a price's rate."""
        return self.quantity.unit if self.money.amount is None else self.money.unit

    @property
    def high(self) -> float | None:
        """A range's far end (``4-6 weeks``: 6; ``$5-10M``: 1e7)."""
        return self.quantity.high if self.money.amount is None else self.money.high


class Price(_Valued):
    at: Timestamp
    item: Text
    value: Text = Field(description="As written, e.g. '$100'.")
    context: Text | None = None

    def _raw_value(self) -> str | None:
        return self.value

    def _evidence(self) -> str:
        return f"{self.item}\n{self.context or ''}"


class Fact(_Valued):
    at: Timestamp
    kind: Text = Field(description="From the section heading: 'Memory Facts' -> 'Memory'.")
    statement: Text
    value: Text | None = Field(default=None, description="As written, e.g. '0.075 bits/token'.")

    def _raw_value(self) -> str | None:
        return self.value

    def _evidence(self) -> str:
        return f"{self.kind}\n{self.statement}"


class Claim(_Timed):
    at: Timestamp
    kind: Text = Field(description="From the section heading: 'Bottleneck Claims' -> 'Bottleneck'.")
    claim: Text
    evidence: Text | None = None


class Prediction(_Timed):
    at: Timestamp
    horizon: Text | None = Field(default=None, description="As written, e.g. '10 years'.")
    statement: Text

    # Parsed once, when the episode links its items (it knows the publication year that
    # anchors "by 2030"); a prediction validated on its own has no reference year.
    _parsed_horizon: Horizon | None = PrivateAttr(default=None)

    @property
    def _horizon(self) -> Horizon:
        # As in ``segment``: the private value without BaseModel.__getattr__.
        parsed = self.__pydantic_private__["_parsed_horizon"]  # type: ignore[index]
        return parsed or parse_horizon(self.horizon, None)

    @property
    def horizon_years(self) -> float | None:
        """Years until the predicted state; a range gives its far end; None when vague."""
        return self._horizon.years

    @property
    def horizon_class(self) -> HorizonClass:
        return self._horizon.horizon_class


class Technology(_Record):
    name: Text
    description: Text | None = None


class Quote(_Timed):
    text: Text
    speaker: Text | None = None
    at: Timestamp | None = None


def _texts(
    value: object, loc: tuple[str | int, ...]
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every string in a record, nested records and lists included, with its location."""
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, (*loc, index))
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _texts(getattr(value, name), (*loc, name))


def text_totals(record: BaseModel) -> tuple[int, int]:
    """The characters and the line breaks of all the text in ``record``, as the limits
    ``MAX_EPISODE_CHARS`` and ``MAX_EPISODE_LINE_BREAKS`` count them."""
    texts = [text for _loc, text in _texts(record, ())]
    return sum(map(len, texts)), sum(text.count("\n") for text in texts)


def _problem(kind: str, message: str, loc: tuple[str | int, ...], value: Any) -> InitErrorDetails:
    return InitErrorDetails(type=PydanticCustomError(kind, message), loc=loc, input=value)


class Episode(_Record):
    """One interview summarised: the unit every exporter renders."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        defer_build=True,
        title="Episode",
        json_schema_extra={"$schema": "https://json-schema.org/draft/2020-12/schema"},
    )

    schema_version: Annotated[Literal[1], JsonInteger]
    id: EpisodeId
    title: Text
    category: Text | None = None
    duration_minutes: Annotated[int, Field(gt=0, le=100_000), JsonInteger] | None = None
    published: IsoDate | None = Field(
        default=None, description="Publication date; anchors horizons such as 'by 2030'."
    )
    speakers: Annotated[list[Text], Field(max_length=MAX_ITEMS)] = []
    language: LanguageTag = "en"
    translations: Annotated[list[LanguageTag], Field(max_length=100)] = []
    watch_url: WatchUrl | None = None
    segments: Annotated[list[Segment], Field(max_length=MAX_ITEMS)] = []
    prices: Annotated[list[Price], Field(max_length=MAX_ITEMS)] = []
    facts: Annotated[list[Fact], Field(max_length=MAX_ITEMS)] = []
    claims: Annotated[list[Claim], Field(max_length=MAX_ITEMS)] = []
    predictions: Annotated[list[Prediction], Field(max_length=MAX_ITEMS)] = []
    technologies: Annotated[list[Technology], Field(max_length=MAX_ITEMS)] = []
    companies: Annotated[list[Text], Field(max_length=MAX_ITEMS)] = []
    topics: Annotated[list[Text], Field(max_length=MAX_ITEMS)] = []
    quotes: Annotated[list[Quote], Field(max_length=MAX_ITEMS)] = []
    takeaways: Annotated[list[Text], Field(max_length=MAX_ITEMS)] = []

    @property
    def duration_seconds(self) -> int | None:
        return self.duration_minutes * 60 if self.duration_minutes else None

    def timed_items(self) -> list[tuple[str, int, _Timed]]:
        """Every item with a time, as (field name, index, item), in document order."""
        return [
            (name, index, item)
            for name in ("prices", "facts", "claims", "predictions", "quotes")
            for index, item in enumerate(getattr(self, name))
            if item.at is not None
        ]

    @model_validator(mode="after")
    def _check_and_link(self) -> Episode:
        problems = [*self._size_problems(), *self._order_problems(), *self._duration_problems()]
        if problems:
            raise ValidationError.from_exception_data("Episode", problems)
        starts = [segment.at for segment in self.segments]
        # Private values set in pydantic's dict directly, without BaseModel.__setattr__:
        # this runs for every item of every episode loaded.
        for _name, _index, item in self.timed_items():
            item.__pydantic_private__["_segment"] = _segment_at(self.segments, starts, item.at)  # type: ignore[index]
        year = self.published.year if self.published else None
        for prediction in self.predictions:
            prediction.__pydantic_private__["_parsed_horizon"] = parse_horizon(  # type: ignore[index]
                prediction.horizon, year, self.language
            )
        for valued in [*self.prices, *self.facts]:
            valued.__pydantic_private__["_language"] = self.language  # type: ignore[index]
        return self

    def _size_problems(self) -> list[InitErrorDetails]:
        """The first text (in file order) at which the episode's text in all passes
        ``MAX_EPISODE_CHARS`` characters or ``MAX_EPISODE_LINE_BREAKS`` line breaks."""
        chars = breaks = 0
        for loc, text in _texts(self, ()):
            chars += len(text)
            breaks += text.count("\n")
            if chars > MAX_EPISODE_CHARS:
                message = f"the episode's text passes {MAX_EPISODE_CHARS:,} characters here"
            elif breaks > MAX_EPISODE_LINE_BREAKS:
                message = f"the episode's text passes {MAX_EPISODE_LINE_BREAKS:,} line breaks here"
            else:
                continue
            return [_problem("episode_size", f"{message}, the most an episode holds", loc, "…")]
        return []

    def _order_problems(self) -> list[InitErrorDetails]:
        return [
            _problem(
                "segment_order",
                f"segments must be in time order: {format_timestamp(later.at)} comes after "
                f"{format_timestamp(earlier.at)}",
                ("segments", index + 1, "at"),
                format_timestamp(later.at),
            )
            for index, (earlier, later) in enumerate(itertools.pairwise(self.segments))
            if later.at <= earlier.at
        ]

    def _duration_problems(self) -> list[InitErrorDetails]:
        if self.duration_minutes is None:
            return []
        # The duration is given in whole minutes, so any second of the last minute is inside.
        limit = (self.duration_minutes + 1) * 60
        located = [("segments", index, segment) for index, segment in enumerate(self.segments)]
        return [
            _problem(
                "past_duration",
                f"{format_timestamp(item.at)} is past the end of the episode "
                f"({self.duration_minutes} min)",
                (name, index, "at"),
                format_timestamp(item.at),
            )
            for name, index, item in [*located, *self.timed_items()]
            if item.at >= limit
        ]


def _segment_at(segments: list[Segment], starts: list[int], seconds: int) -> Segment | None:
    """The segment running at that moment: the last one that starts at or before it."""
    position = bisect.bisect_right(starts, seconds)
    return segments[position - 1] if position else None


_SLUG_DROP = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """A usable episode id from any text: ``Summoning Ghosts!`` -> ``summoning-ghosts``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return _SLUG_DROP.sub("-", ascii_text).strip("-")[:80].strip("-")
