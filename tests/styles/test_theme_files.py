"""Theme files and the documents they name are read with a bound, like episodes."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from styles import ThemeError, load_theme


def _load_in_thread(path: Path, fifo: Path) -> ThemeError | BaseException | None:
    """load_theme(path) in a thread; a read that blocks on the FIFO is released after
    ten seconds (by opening its other end), so a regression fails instead of hanging."""
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            load_theme(str(path))
        except BaseException as error:  # handed to the test to judge
            outcome.append(error)
        else:
            outcome.append(None)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(10)
    if thread.is_alive():
        with fifo.open("wb"):
            pass
        thread.join(10)
        pytest.fail("reading the theme blocked on a FIFO")
    return outcome[0]


def test_a_theme_that_is_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "mine.toml"
    os.mkfifo(fifo)
    error = _load_in_thread(fifo, fifo)
    assert isinstance(error, ThemeError)
    assert str(error) == f"{fifo}: is a FIFO (named pipe), not a regular file"


def test_a_reference_document_that_is_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "corporate.docx"
    os.mkfifo(fifo)
    theme = tmp_path / "mine.toml"
    theme.write_text('[docx]\nreference = "corporate.docx"\n', encoding="utf-8")
    error = _load_in_thread(theme, fifo)
    assert isinstance(error, ThemeError)
    assert str(error) == (
        f"{theme}: docx.reference: {fifo}: is a FIFO (named pipe), not a regular file"
    )


def test_a_theme_over_its_limit_is_refused_unread(tmp_path: Path) -> None:
    theme = tmp_path / "huge.toml"
    with theme.open("wb") as handle:
        handle.truncate(2**20 + 1)
    with pytest.raises(ThemeError) as raised:
        load_theme(str(theme))
    assert str(raised.value) == f"{theme}: file is 1,048,577 bytes; the limit is 1 MiB"
