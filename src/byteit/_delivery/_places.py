"""Where results land on the local disk: decided and checked before anything is sent.

One rule for every call that writes files (``process_document``'s ``output_path``,
``get_job_result``'s, ``process_documents``' ``output_dir``, `LocalFileOutputConnector`):

- A path names a folder when it is one, or ends with a separator (a missing one is
  created); anything else names the file to write.
- In a folder, a document's result is ``<document name>.<format>`` (`result_name`:
  ``report.pdf`` becomes ``report.pdf.txt``), so a result never takes its own
  document's name. ``get_job_result`` knows no document, and keeps the server's name.
- The destination must be writable as such: not a folder where a file goes, nor a
  file where a folder goes, nor below a file.
- Within one call no two results go to the same file, and no result replaces a
  document of the call (`Places`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from byteit._contract import result_name
from byteit._delivery._atomic import remove_leftovers
from byteit.exceptions import ValidationError

PathLike = str | os.PathLike[str]

# The stem of a result in a folder when its document's name leaves nothing usable.
_UNNAMED = "document"


def is_folder(given: PathLike) -> bool:
    """Whether `given` names a folder: an existing one, or a path ending with a separator."""
    return os.fspath(given).endswith(("/", os.sep)) or Path(given).is_dir()


def result_file(given: PathLike, document_name: str, output_format: str) -> Path:
    """The file a document's result is written to, for an ``output_path`` of `given`."""
    if is_folder(given):
        return Path(given) / result_name(document_name, _UNNAMED, output_format)
    return Path(given)


def check_output_path(path: Path, *, folder: bool, label: str) -> None:
    """Check that a result can be written at `path` (a file, or a folder of them).

    Raises:
        ValidationError: Naming `label` and the path, and what is in the way.
    """
    try:
        problem = _problem(path, folder=folder)
    except OSError as exc:
        problem = f"cannot be checked: {exc.strerror or exc}"
    if problem is not None:
        raise ValidationError(f"{label} {path}: {problem}")


def _problem(path: Path, *, folder: bool) -> str | None:
    if path.exists():
        if folder and not path.is_dir():
            return "is a file, not a folder"
        if not folder and path.is_dir():
            return "is a folder, not a file to write"
        if not folder and not path.is_file():
            return "is not a regular file"
        into = path if folder else path.parent
    else:
        into = next(parent for parent in path.absolute().parents if parent.exists())
        if not into.is_dir():
            return f"{into} is a file, not a folder"
    if not os.access(into, os.W_OK | os.X_OK):
        return f"cannot write into {into} (permissions)"
    return None


def prepare_output_path(path: Path, *, folder: bool, label: str) -> None:
    """`check_output_path`, then clear the folder it writes into of interrupted writes."""
    check_output_path(path, folder=folder, label=label)
    remove_leftovers(path if folder else path.parent)


def prepare_folders(files: Iterable[Path]) -> None:
    """Clear what interrupted writes left in the folders these results go to."""
    for folder in sorted({file.parent for file in files}):
        remove_leftovers(folder)


class Places:
    """The destinations of one call's results, claimed one document at a time.

    Args:
        documents: The call's documents on the local disk; no result may replace one.
        scope: What the call is, for messages (``"batch"``, ``"list"``).
    """

    def __init__(self, documents: Iterable[Path], scope: str) -> None:
        self._documents = {key for key in map(_file_key, documents) if key is not None}
        self._scope = scope
        self._taken: set[str] = set()

    def claim(self, place: Path | str, document: object) -> ValidationError | None:
        """Take `place` for `document`'s result; the error when it may not have it.

        `place` is a local file (a `Path`) or a connector's location (a `str`).
        """
        key = str(place.absolute().resolve()) if isinstance(place, Path) else place
        if key in self._taken:
            return ValidationError(
                f"{document}: another document of this {self._scope} is written to {place}; "
                "give each document its own output"
            )
        if _file_key(Path(place)) in self._documents:
            return ValidationError(
                f"{document}: its result would replace the document {place}; write it elsewhere"
            )
        self._taken.add(key)
        return None


def _file_key(path: Path) -> tuple[int, int] | None:
    """What identifies an existing file, whatever path names it (links, case, ``..``)."""
    try:
        found = os.stat(path)
    except (OSError, ValueError):
        return None
    return found.st_dev, found.st_ino
