"""Writing a file whole or not at all, and clearing what an interrupted write left.

A result is written to a temporary file beside its destination, then renamed over
it. The temporary name is ``.<name>.<12 hex digits>.byteit.part``: hidden, and
marked as this client's, so that nothing else is ever taken for one.

A write killed outright (``kill -9``, a power cut) leaves its temporary file
behind. `remove_leftovers` clears those, and only those: the writer holds an
exclusive ``flock`` on its temporary file from creation to rename, and the kernel
drops the lock when the writer dies, however it dies. A temporary file that can
be locked therefore has no live writer, whichever process or run made it; one
that cannot is left alone. (A writer's pid would not do: pids are reused, and a
folder shared between containers or hosts sees other pid namespaces.) A writer
that loses its fresh file to a sweep before it could lock it starts over under a
new name. Where there are no advisory locks (Windows), a file that another
process holds open cannot be removed, which serves the same purpose.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from byteit._log import get_logger

if sys.platform != "win32":
    import fcntl

logger = get_logger("delivery")

_TEMP_NAME = re.compile(r"\..+\.[0-9a-f]{12}\.byteit\.part", re.DOTALL)
_NAME_BYTES = 200  # of the destination's name kept in the temporary one (a name is 255 at most)
_ATTEMPTS = 100
_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


def is_temp_name(name: str) -> bool:
    """Whether `name` is one of this client's temporary file names."""
    return _TEMP_NAME.fullmatch(name) is not None


@contextlib.contextmanager
def atomic_write(path: Path) -> Iterator[BinaryIO]:
    """Yield a file to write; it replaces `path` only if the block finishes cleanly.

    The file has the mode a plain ``open()`` would give it: that of the file it
    replaces, else ``0o666`` less the umask.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = _create_locked(path)
    with os.fdopen(fd, "wb") as handle:  # closing it releases the lock, after the rename
        try:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
            _keep_mode(temp, path)
            os.replace(temp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise


def remove_leftovers(folder: Path) -> None:
    """Remove the temporary files that interrupted writes left in `folder` (see the module
    docstring); never one a live writer holds, never any other file."""
    try:
        names = [entry.name for entry in os.scandir(folder) if is_temp_name(entry.name)]
    except OSError:
        return  # no folder yet, or not one we may list: nothing of ours to clear
    for name in names:
        if _remove_if_abandoned(folder / name):
            logger.debug("removed %s, left by an interrupted write", folder / name)


def _temp_path(path: Path) -> Path:
    kept = path.name.encode()[:_NAME_BYTES].decode(errors="ignore")
    return path.with_name(f".{kept}.{secrets.token_hex(6)}.byteit.part")


def _create_locked(path: Path) -> tuple[int, Path]:
    for _attempt in range(_ATTEMPTS):
        temp = _temp_path(path)
        try:
            fd = os.open(temp, _FLAGS, 0o666)  # the umask applies, as for open()
        except FileExistsError:
            continue
        if sys.platform != "win32":
            fcntl.flock(fd, fcntl.LOCK_EX)  # waits only while a sweep removes it
        if _still_named(fd, temp):
            return fd, temp
        os.close(fd)  # a sweep took it before it was locked: start over
    raise FileExistsError(f"no free temporary name beside {path}")


def _remove_if_abandoned(temp: Path) -> bool:
    if sys.platform == "win32":
        try:
            os.unlink(temp)  # fails while its writer holds it open
        except OSError:
            return False
        return True
    try:
        fd = os.open(temp, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        if not stat.S_ISREG(os.fstat(fd).st_mode) or not _still_named(fd, temp):
            return False
        os.unlink(temp)
    except OSError:
        return False  # locked: its writer is alive
    finally:
        os.close(fd)
    return True


def _still_named(fd: int, temp: Path) -> bool:
    """Whether `temp` still names the file open as `fd`."""
    try:
        named = os.stat(temp, follow_symlinks=False)
    except OSError:
        return False
    opened = os.fstat(fd)
    return (named.st_dev, named.st_ino) == (opened.st_dev, opened.st_ino)


def _keep_mode(temp: Path, path: Path) -> None:
    """Give the new file the mode of the one it replaces, as writing over it would."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return
    if stat.S_ISREG(mode):
        os.chmod(temp, stat.S_IMODE(mode))
