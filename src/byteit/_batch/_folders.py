"""Turning files and folders given by a user into the list of documents to process."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from byteit._delivery._atomic import is_temp_name
from byteit.exceptions import ValidationError


def expand_inputs(paths: Iterable[Path]) -> list[Path]:
    """Files as given, and folders walked recursively in a stable (sorted) order.

    Hidden files and folders (names starting with a dot) inside a folder are left
    out, and so are this client's temporary files (results being written). Every
    other file is kept, whatever its type, so that an unsupported or empty one is
    reported rather than silently skipped.

    Raises:
        ValidationError: A path does not exist, or a folder holds no file.
    """
    documents: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = walk_folder(path)
            if not found:
                raise ValidationError(f"{path}: the folder holds no file")
            documents.extend(found)
        elif path.exists():
            documents.append(path)
        else:
            raise ValidationError(f"{path}: no such file or folder")
    return documents


def walk_folder(folder: Path) -> list[Path]:
    """Every file below `folder`, sorted; hidden files and folders are left out, and
    this client's temporary files (results being written) always are."""
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and not _hidden(p, folder) and not is_temp_name(p.name)
    )


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)
