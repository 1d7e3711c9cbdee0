"""One Chromium for every browser test of the HTML briefing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.exporters.html.chromium import ARGS, CHROMIUM


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()
