"""``briefing.reading.read_bounded``: the bound holds whatever ``stat()`` says."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.reading import UnreadableInput, read_bounded


def test_a_regular_file_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(b"0123456789")
    assert read_bounded(path, 10) == b"0123456789"


def test_a_file_whose_size_says_zero_is_still_bounded() -> None:
    # /proc files are regular files of size 0 with content: the bound is on what is read.
    status = Path("/proc/self/status")
    if not status.is_file():
        pytest.skip("no /proc on this machine")
    with pytest.raises(UnreadableInput, match=r"^file is over the limit of 16 bytes$"):
        read_bounded(status, 16)


def test_a_size_over_the_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "sparse.json"
    with path.open("wb") as handle:
        handle.truncate(3 * 2**20 + 1)
    with pytest.raises(UnreadableInput, match=r"^file is 3,145,729 bytes; the limit is 3 MiB$"):
        read_bounded(path, 3 * 2**20)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda path: path.mkdir(), "is a folder, not a regular file"),
        (lambda path: path.symlink_to("/dev/null"), "is a character device, not a regular file"),
        (lambda path: None, "cannot read: No such file or directory"),
        (lambda path: path.symlink_to(path), "cannot read: Too many levels of symbolic links"),
    ],
)
def test_what_is_not_a_regular_file_is_one_line(tmp_path: Path, make, message: str) -> None:
    path = tmp_path / "input.json"
    make(path)
    with pytest.raises(UnreadableInput) as raised:
        read_bounded(path, 100)
    assert str(raised.value) == message
