"""Seeded synthetic episodes for the benchmark: same seed and shape, same bytes.

Text is built from a fixed vocabulary (mostly English, with accented words, CJK,
symbols, and the characters Markdown and XML treat specially) so that every
exporter's escaping, font fallback and line breaking does real work. Only
``random.Random.random()`` is used, because Python promises that its sequence
for a seed never changes across versions; ``choice`` and ``randrange`` may.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefing.values import format_timestamp

# Hours in an episode timestamp have at most two digits.
MAX_SECONDS = 99 * 3600

_VOCABULARY = (
    "model agent memory token context gradient weights training inference latency compute "
    "benchmark dataset scaling curriculum reward policy evaluation architecture attention "
    "transformer layer parameter budget hardware cluster accelerator bandwidth throughput "
    "pipeline research engineer product customer market regulation safety alignment "
    "robotics vision language speech tutor classroom student teacher history evolution "
    "animal ghost brain cortex hippocampus distillation compression retrieval cache "
    "the a an of to in on for with without between across under over through about "
    "is are was were becomes remains seems could would should might will "
    "fast slow large small cheap expensive robust fragile novel familiar gradual sudden "
    "decade year month week quarter horizon trend forecast estimate evidence claim "
    "naïve café Gödel façade über résumé Zürich São-Paulo Kraków Øresund "
    "深度学习 模型 智能体 数据 データ 学習 모델 Ωmega π≈3.14 — “quoted” ’apostrophe’ "
    "R&D <1% 2×faster C++ *starred* _under_ #hash [bracket] x^2 ≥90% €-denominated"
)
_WORDS = tuple(_VOCABULARY.split())
_CAPITALISED = (
    "Agents",
    "Scaling",
    "Memory",
    "Tutors",
    "Robotics",
    "Évaluation",
    "Compute",
    "Data",
    "Safety",
    "Reasoning",
    "Distillation",
    "Vision",
    "Markets",
    "学习",
    "Zürich",
)
_NAMES = (
    "Andrej Karpathy",
    "Dwarkesh Patel",
    "Zoë Alvarez",
    "Łukasz Nowak",
    "Søren Kierkegaard",
    "李娜",
    "María José García",
    "Amaka Okafor",
    "Jean-Luc Picard",
    "田中 花子",
)
_COMPANIES = ("OpenAI", "DeepMind", "Anthropic", "Tesla", "Waymo", "Mistral", "Zhipu", "Écosia")
_FACT_VALUES = (
    "0.075 bits/token",
    "320 kB (2.56 million bits) per token",
    "~10^26 FLOPs",
    "1.5 trillion tokens",
    "70 billion parameters",
    "12%",
    "about 400 ms",
    "3,000 GPUs",
    "2.5 GB",
    "≈ 40 W",
)
_PRICE_VALUES = ("$100", "≈ €1.5 billion", "$20 million", "£250", "¥3,000", "USD 4,500", "$0.02")
_HORIZONS = (
    "10 years",
    "Near future",
    "Long term",
    "5-10 years",
    "next year",
    "by 2030",
    "a few years",
    "about a decade",
    "2-3 years",
    "Medium term",
    "18 months",
    "Eventually",
)
_FACT_KINDS = ("Memory", "Compute", "Cost", "Data")
_CLAIM_KINDS = ("Bottleneck", "Capability", "Risk")
_LANGUAGES = ("en", "en", "en", "en", "zh", "de", "fr")


@dataclass(frozen=True)
class EpisodeShape:
    """How many items of each kind, and how long each paragraph is, in words."""

    segments: int = 14
    predictions: int = 3
    facts: int = 2
    claims: int = 3
    quotes: int = 3
    prices: int = 1
    technologies: int = 4
    takeaways: int = 5
    companies: int = 3
    topics: int = 4
    paragraph_words: int = 16
    language: str = ""
    """The episode's language (its labels, and line breaking for CJK); empty: drawn."""


BUNDLED_LIKE = EpisodeShape()
"""About the size of the bundled episode: what a library is made of."""


def scaled_shape(items: int, paragraph_words: int = 60) -> EpisodeShape:
    """``items`` segments, predictions and facts, a tenth as many of the rest, long text.

    Always English, so that sizes compare like with like: a Chinese episode takes other
    code paths (CJK line breaking) and would blur how time grows with size."""
    tenth = max(1, items // 10)
    return EpisodeShape(
        segments=items,
        predictions=items,
        facts=items,
        claims=tenth,
        quotes=tenth,
        prices=tenth,
        technologies=tenth,
        takeaways=tenth,
        paragraph_words=paragraph_words,
        language="en",
    )


LARGE = scaled_shape(300)
"""The issue's large episode: 300 segments, 300 predictions, 300 facts, long paragraphs."""


def predictions_shape(predictions: int) -> EpisodeShape:
    """Predictions and little else (two segments for their Segment column): a library of
    these is the combined-workbook benchmark, where xlsxwriter writes only predictions."""
    return EpisodeShape(
        segments=2,
        predictions=predictions,
        facts=0,
        claims=0,
        quotes=0,
        prices=0,
        technologies=0,
        takeaways=0,
        companies=0,
        topics=0,
        paragraph_words=16,
    )


class _Draw:
    """Deterministic choices built on ``random()`` alone (see the module docstring)."""

    def __init__(self, seed: int) -> None:
        self._random = random.Random(seed)

    def fraction(self) -> float:
        return self._random.random()

    def below(self, limit: int) -> int:
        return min(int(self._random.random() * limit), limit - 1)

    def pick(self, options: Sequence[str]) -> str:
        return options[self.below(len(options))]

    def sentence(self, words: int) -> str:
        count = max(3, words + self.below(max(1, words // 2)) - words // 4)
        chosen = [self.pick(_WORDS) for _ in range(count)]
        # A comma now and then, so line breaking sees punctuation as well as spaces.
        for position in range(4, count - 1, 7):
            chosen[position] += ","
        return f"{self.pick(_CAPITALISED)} {' '.join(chosen)}."

    def paragraph(self, words: int) -> str:
        sentences = []
        remaining = words
        while remaining > 0:
            length = min(remaining, 8 + self.below(14))
            sentences.append(self.sentence(length))
            remaining -= length
        text = " ".join(sentences)
        # One paragraph in twelve carries a line break, which every format must keep.
        if self.below(12) == 0 and len(sentences) > 1:
            text = text.replace(". ", ".\n", 1)
        return text

    def title(self) -> str:
        words = [self.pick(_CAPITALISED), *(self.pick(_WORDS) for _ in range(1 + self.below(5)))]
        return " ".join(words)

    def times(self, count: int, end: int) -> list[int]:
        """``count`` moments within [0, end], in time order."""
        return sorted(self.below(end + 1) for _ in range(count))


def _distinct(draw: _Draw, options: Sequence[str], count: int) -> list[str]:
    """``count`` different options (fewer if there are not that many), in drawn order."""
    chosen: list[str] = []
    remaining = list(options)
    while remaining and len(chosen) < count:
        chosen.append(remaining.pop(draw.below(len(remaining))))
    return chosen


def _segment_starts(draw: _Draw, count: int) -> list[int]:
    """Strictly increasing starts, the first at 00:00, spaced like real chapters."""
    spacing = min(300, MAX_SECONDS // max(count, 1))
    starts, at = [], 0
    for _ in range(count):
        starts.append(at)
        at += max(1, spacing // 2 + draw.below(spacing))
    return starts


def generate_episode(seed: int, shape: EpisodeShape = BUNDLED_LIKE, episode_id: str = "") -> dict:
    """One episode as JSON-ready data, valid for ``briefing.model.Episode``."""
    draw = _Draw(seed)
    words = shape.paragraph_words
    starts = _segment_starts(draw, shape.segments)
    end = min(MAX_SECONDS - 60, (starts[-1] if starts else 0) + 600)
    speakers = sorted({draw.pick(_NAMES) for _ in range(2 + draw.below(2))})

    def moments(count: int) -> list[str]:
        return [format_timestamp(at) for at in draw.times(count, end)]

    episode: dict[str, Any] = {
        "schema_version": 1,
        "id": episode_id or f"synthetic-{seed}",
        "title": f"{draw.title()}: {draw.title()}",
        "category": draw.pick(("Expert Interviews", "Lectures", "Panels", "访谈")),
        "duration_minutes": math.ceil((end + 1) / 60),
        "published": f"20{20 + draw.below(6)}-{1 + draw.below(12):02d}-{1 + draw.below(28):02d}",
        "speakers": speakers,
        "language": shape.language or draw.pick(_LANGUAGES),
        "translations": ["zh"] if draw.below(2) else [],
        "segments": [
            {"at": format_timestamp(at), "title": draw.title(), "summary": draw.paragraph(words)}
            for at in starts
        ],
        "prices": [
            {
                "at": at,
                "item": draw.title(),
                "value": draw.pick(_PRICE_VALUES),
                "context": draw.paragraph(words),
            }
            for at in moments(shape.prices)
        ],
        "facts": [
            {
                "at": at,
                "kind": draw.pick(_FACT_KINDS),
                "statement": draw.paragraph(words),
                "value": draw.pick(_FACT_VALUES),
            }
            for at in moments(shape.facts)
        ],
        "claims": [
            {
                "at": at,
                "kind": draw.pick(_CLAIM_KINDS),
                "claim": draw.paragraph(words),
                "evidence": draw.paragraph(words),
            }
            for at in moments(shape.claims)
        ],
        "predictions": [
            {"at": at, "horizon": draw.pick(_HORIZONS), "statement": draw.paragraph(words)}
            for at in moments(shape.predictions)
        ],
        "technologies": [
            {"name": draw.title(), "description": draw.paragraph(words)}
            for _ in range(shape.technologies)
        ],
        "companies": _distinct(draw, _COMPANIES, shape.companies),
        "topics": _distinct(draw, _CAPITALISED, shape.topics),
        "quotes": [
            {"text": draw.sentence(words), "speaker": draw.pick(speakers), "at": at}
            for at in moments(shape.quotes)
        ],
        "takeaways": [draw.paragraph(words) for _ in range(shape.takeaways)],
    }
    return episode


def episode_bytes(episode: dict) -> bytes:
    """The episode as a UTF-8 JSON file, laid out like those under ``data/episodes/``."""
    return (json.dumps(episode, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write_episode(folder: Path, seed: int, shape: EpisodeShape, episode_id: str = "") -> Path:
    episode = generate_episode(seed, shape, episode_id)
    path = folder / f"{episode['id']}.json"
    path.write_bytes(episode_bytes(episode))
    return path


def write_library(folder: Path, count: int, shape: EpisodeShape, seed: int = 0) -> list[Path]:
    """``count`` episode files named so that their name order is their seed order."""
    folder.mkdir(parents=True, exist_ok=True)
    width = len(str(max(count - 1, 0)))
    return [
        write_episode(folder, seed + index, shape, f"synthetic-{index:0{width}d}")
        for index in range(count)
    ]
