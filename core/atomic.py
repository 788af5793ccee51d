"""Writing a file so that no reader, and no failure, ever sees half of it."""

from __future__ import annotations

import os
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomically(path: Path, data: bytes, *, private: bool = False) -> None:
    """Write `data` to `path`: to a temporary file beside it, flushed to disk, then moved
    over `path` in one step, so `path` holds either its old content or all of the new.

    The file gets the usual permissions (0666 less the umask) unless `private` (0600, for
    caches in the user's own folder). Raises OSError; the temporary file never outlives a
    failure.
    """
    import tempfile

    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if not private:
            os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
