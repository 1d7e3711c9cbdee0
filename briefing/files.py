"""Files written whole or not at all: for documents, manifests and caches alike."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import IO


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half."""
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as temp_file:
            temp_file.write(data)
            temp_file.flush()
            os.fsync(temp_file.fileno())
        temp_path = Path(temp_name)
        temp_path.chmod(0o666 & ~_umask())
        temp_path.replace(path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


class SpooledScratch:
    """Scratch streams for formats (``RenderContext.scratch``): in memory while small,
    then an anonymous temporary file, gone when closed whatever happens to the process.
    openpyxl would give every sheet a named temporary file; making and removing nine
    took as long as rendering the rest of a one-episode workbook (30 ms)."""

    def __init__(self, in_memory: int = 1 << 20) -> None:
        self.in_memory = in_memory

    def __call__(self) -> IO[bytes]:
        return tempfile.SpooledTemporaryFile(max_size=self.in_memory)


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current
