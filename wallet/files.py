"""The wallet's files on disk: its folder 0700, its database and backups 0600 from the first
byte, and databases made whole in a draft file and then published under their name in one step,
so a process killed midway leaves either no wallet or a whole one, never a half-made one."""

from __future__ import annotations

import os
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

try:  # POSIX; elsewhere creation is not serialised between processes
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

__all__ = ["DRAFT", "PRIVATE_DIR", "PRIVATE_FILE", "Draft", "clean_drafts", "folder_lock", "private_dir",
           "tighten", "write_private"]

PRIVATE_DIR, PRIVATE_FILE = 0o700, 0o600
DRAFT = ".draft-"
SIDE_FILES = ("-journal", "-wal", "-shm")


def tighten(path: Path, mode: int) -> None:
    """Take away every permission bit beyond `mode` (an older wallet, a folder made by hand)."""
    try:
        current = stat.S_IMODE(path.stat().st_mode)
        if current & ~mode:
            os.chmod(path, current & mode)
    except OSError:  # not ours to change (e.g. another owner): the files inside still are private
        pass


def private_dir(path: Path) -> None:
    path.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    tighten(path, PRIVATE_DIR)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover  (platforms that cannot open folders)
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_private(path: Path, data: bytes) -> None:
    """Write `data` to `path` readable by its owner only (0600 from the start), replacing any old
    file in one rename so a reader never sees half of it."""
    tmp = path.with_name(f".{path.name}{DRAFT}{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    try:
        os.fchmod(fd, PRIVATE_FILE)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        tmp.unlink(missing_ok=True)
        raise
    os.close(fd)
    os.replace(tmp, path)
    _fsync_dir(path.parent)


@contextmanager
def folder_lock(folder: Path, *, wait: bool = True) -> Iterator[bool]:
    """An exclusive lock on the wallet's folder (creation, cleaning drafts); yields whether it was
    taken (False only with wait=False when another process holds it). Released when the process
    dies, so a killed creator never leaves it held."""
    if fcntl is None:  # pragma: no cover
        yield True
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)  # closing drops the lock


def _remove_with_side_files(path: Path) -> None:
    for suffix in ("", *SIDE_FILES):
        Path(str(path) + suffix).unlink(missing_ok=True)


def clean_drafts(target: Path) -> None:
    """Remove drafts of `target` (and their journals) that a killed process left behind, and the
    side files of a database that no longer exists, which SQLite would otherwise replay into a
    new one. Call with the folder lock held, so no live creator's draft is touched."""
    for leftover in target.parent.glob(target.name + DRAFT + "*"):
        leftover.unlink(missing_ok=True)
    if not target.exists():
        for suffix in SIDE_FILES:
            Path(str(target) + suffix).unlink(missing_ok=True)


class Draft:
    """A private (0600) file next to `target` to build a database in; `publish` gives it the
    target's name only if none exists yet (a link, so an existing wallet is never replaced)."""

    def __init__(self, target: Path, token: str) -> None:
        self.target = target
        self.path = target.with_name(f"{target.name}{DRAFT}{token}")
        os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))

    def publish(self) -> None:
        fd = os.open(self.path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(self.path, self.target)
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links: the folder lock keeps this race-free
            if self.target.exists():
                raise FileExistsError(self.target) from None
            os.rename(self.path, self.target)
        else:
            self.path.unlink()
        _fsync_dir(self.target.parent)

    def discard(self) -> None:
        _remove_with_side_files(self.path)
