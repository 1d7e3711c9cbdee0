"""The workbook's derived-value columns, read back with openpyxl: never a wrong number.

Every value of the corpus (tests/briefing/values_corpus.jsonl) goes into an episode of
its language twice, as a fact and as a price, and the Facts sheet must show exactly the
certain answer or a blank in Number, Unit, Amount, Currency and Range high.
"""

from __future__ import annotations

import io
from collections import defaultdict
from typing import Any

from openpyxl import load_workbook

from briefing.labels import labels_for
from briefing.model import Episode
from briefing.pipeline import default_context
from exporters.xlsx import XlsxExporter
from styles import load_theme
from tests.briefing.test_values import Case, load_corpus, same

COLUMNS = {"number": "Number", "unit": "Unit", "amount": "Amount", "currency": "Currency"}


def episode_of(language: str, cases: list[Case]) -> Episode:
    facts = [
        {
            "at": "00:01",
            "kind": "Corpus",
            "statement": case.evidence or "A value",
            "value": case.value,
        }
        for case in cases
    ]
    prices = [
        {"at": "00:02", "item": "A price", "value": case.value, "context": case.evidence or None}
        for case in cases
    ]
    return Episode.model_validate(
        {
            "schema_version": 1,
            "id": f"values-{language.lower()}",
            "title": "Values",
            "language": language,
            "facts": facts,
            "prices": [{k: v for k, v in p.items() if v is not None} for p in prices],
        }
    )


def rows_of(episode: Episode) -> list[dict[str, Any]]:
    # English headers whatever the episode's language, so the columns are found by name.
    data = XlsxExporter().render(
        episode, load_theme("default"), labels_for("en"), default_context(episode)
    )
    sheet = load_workbook(io.BytesIO(data))["Facts"]
    (table,) = sheet.tables.values()
    cells = [[cell.value for cell in row] for row in sheet[table.ref]]
    return [dict(zip(cells[0], row, strict=True)) for row in cells[1:]]


def test_every_value_of_the_corpus_is_right_or_blank_in_the_workbook() -> None:
    by_language: dict[str, list[Case]] = defaultdict(list)
    for case in load_corpus():
        by_language[case.language].append(case)
    wrong = []
    shown = 0
    for language, cases in sorted(by_language.items()):
        rows = rows_of(episode_of(language, cases))
        assert len(rows) == 2 * len(cases)
        for case, row in zip([*cases, *cases], rows, strict=True):
            expected = dict(case.expected)
            if expected["amount"] is not None:
                # Money: the amount's range end, and the unit is what it is per.
                expected["number"] = None
            for field, header in COLUMNS.items():
                got = row[header]
                if got is not None and not same(got, expected[field]):
                    wrong.append((language, case.value, header, got, expected[field]))
            high = row["Range high"]
            if high is not None and not same(high, expected["high"]):
                wrong.append((language, case.value, "Range high", high, expected["high"]))
            shown += row["Number"] is not None or row["Amount"] is not None
    assert wrong == []
    assert shown > 0
