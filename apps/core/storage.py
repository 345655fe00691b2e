"""Local file storage that never shows a partial file.

Django 5.2's `FileSystemStorage._save` opens the final name with `O_CREAT | O_EXCL` and writes
into it chunk by chunk (or copies a temporary upload into it when a rename across file systems
is impossible): a full disk or a process killed mid-write leaves a truncated file under the name
a reader will open, and an `OSError` during the write leaves it there too.

`AtomicFileSystemStorage` writes to `<dir>/.<name>.part-<random>` in the same directory, flushes
and fsyncs it, then links it to the final name (`os.link`: atomic, and fails instead of
replacing a file that already exists) and removes the temporary name. Any error removes the
temporary file and is raised as it was; the final name either does not exist or holds the
complete file. A hard kill can only leave a `*.part-*` file, which no row ever names and which
`clean_stale_partials()` removes when the application starts (`CoreConfig.ready`) once it is
older than `OCOP_STALE_UPLOAD_MINUTES`.

S3 (`OCOP_STORAGE=s3`) needs none of this: an object becomes visible only when its upload
completes (PutObject and multipart uploads are atomic), so a reader never sees part of one.
"""

from __future__ import annotations

import errno
import logging
import os
import secrets
import time
from pathlib import Path

from django.core.files.storage import FileSystemStorage
from django.utils._os import safe_makedirs
from django.utils.deconstruct import deconstructible

logger = logging.getLogger(__name__)

PART_MARKER = ".part-"


def _is_partial(filename: str) -> bool:
    return filename.startswith(".") and PART_MARKER in filename


@deconstructible(path="apps.core.storage.AtomicFileSystemStorage")
class AtomicFileSystemStorage(FileSystemStorage):
    """`FileSystemStorage` whose saves are all or nothing (see the module docstring)."""

    def _save(self, name, content):
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        if self.directory_permissions_mode is not None:
            safe_makedirs(directory, self.directory_permissions_mode, exist_ok=True)
        else:
            os.makedirs(directory, exist_ok=True)

        temp_path = self._write_temporary(directory, os.path.basename(full_path), content)
        try:
            while True:
                try:
                    if self._allow_overwrite:
                        os.replace(temp_path, full_path)
                    else:
                        _link_or_rename(temp_path, full_path)
                    break
                except FileExistsError:
                    name = self.get_available_name(name)
                    full_path = self.path(name)
        finally:
            if os.path.lexists(temp_path):
                os.unlink(temp_path)
        _fsync_directory(directory)
        name = os.path.relpath(full_path, self.location)
        self._ensure_location_group_id(full_path)
        return str(name).replace("\\", "/")

    def _write_temporary(self, directory: str, basename: str, content) -> str:
        """Write `content` to a new hidden temporary file next to the final one, fsynced and
        with the storage's permissions; return its path. On any error nothing is left."""
        # basename[:200]: the temporary name stays under the usual 255-byte limit.
        temp_path = os.path.join(directory, f".{basename[:200]}{PART_MARKER}{secrets.token_hex(8)}")
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        fd = os.open(temp_path, flags, 0o666)
        try:
            with os.fdopen(fd, "wb") as out:
                fd = None
                for chunk in content.chunks():
                    out.write(chunk if isinstance(chunk, bytes) else chunk.encode())
                out.flush()
                os.fsync(out.fileno())
            if self.file_permissions_mode is not None:
                os.chmod(temp_path, self.file_permissions_mode)
        except BaseException:
            if fd is not None:
                os.close(fd)
            try:
                os.unlink(temp_path)
            except FileNotFoundError:
                pass
            raise
        return temp_path

    def listdir(self, path):
        directories, files = super().listdir(path)
        return directories, [f for f in files if not _is_partial(f)]


def _link_or_rename(source: str, target: str) -> None:
    """Put `source` at `target` atomically without replacing an existing `target`
    (FileExistsError then). `os.link` does exactly that; on a file system without hard links
    the rename is preceded by an existence check (a narrow race, only there)."""
    try:
        os.link(source, target)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
            raise
        if os.path.lexists(target):
            raise FileExistsError(errno.EEXIST, "File exists", target) from exc
        os.rename(source, target)


def _fsync_directory(directory: str) -> None:
    """Make the new directory entry durable (a crash right after the rename keeps the file)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def clean_stale_partials(root: str | os.PathLike, *, older_than_minutes: float) -> list[Path]:
    """Remove the temporary files of interrupted saves (`.<name>.part-<random>`) under `root`
    older than `older_than_minutes` (a save in progress in another process is younger). Returns
    what was removed."""
    root = Path(root)
    if not root.is_dir():
        return []
    limit = time.time() - older_than_minutes * 60
    removed = []
    for directory, _dirs, files in os.walk(root):
        for filename in files:
            if not _is_partial(filename):
                continue
            path = Path(directory) / filename
            try:
                if path.lstat().st_mtime < limit:
                    path.unlink()
                    removed.append(path)
            except FileNotFoundError:
                continue
            except OSError:
                logger.warning("Could not remove the stale partial upload %s", path, exc_info=True)
    if removed:
        logger.info("Removed %d stale partial upload(s) under %s", len(removed), root)
    return removed
