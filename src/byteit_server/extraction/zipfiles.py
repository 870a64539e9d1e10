"""Reproducible zip output: the same members always give the same bytes.

Office files are zip containers and libraries stamp each member with the
current time, so two saves of the same content differ. Writing through
:class:`ReproducibleZipFile` pins every member's timestamp.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed import SizedBuffer

# The earliest timestamp a zip entry can hold.
FIXED_DATE_TIME = (1980, 1, 1, 0, 0, 0)


class ReproducibleZipFile(zipfile.ZipFile):
    """A ZipFile whose ``writestr`` stamps every member with :data:`FIXED_DATE_TIME`."""

    def writestr(
        self,
        zinfo_or_arcname: str | zipfile.ZipInfo,
        data: SizedBuffer | str,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        """Write ``data`` as a member, like ZipFile.writestr, with a fixed timestamp."""
        name = (
            zinfo_or_arcname.filename
            if isinstance(zinfo_or_arcname, zipfile.ZipInfo)
            else zinfo_or_arcname
        )
        info = zipfile.ZipInfo(name, date_time=FIXED_DATE_TIME)
        info.compress_type = compress_type if compress_type is not None else zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        super().writestr(info, data, compresslevel=compresslevel)


def rezip(data: bytes, replacements: Mapping[str, bytes] | None = None) -> bytes:
    """Rewrite zip ``data`` reproducibly, keeping member order.

    Args:
        data: a zip archive, e.g. a freshly saved DOCX.
        replacements: member name to new content, e.g. a core.xml with fixed dates.
    """
    swaps = replacements or {}
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        ReproducibleZipFile(out, "w") as target,
    ):
        for name in source.namelist():
            target.writestr(name, swaps[name] if name in swaps else source.read(name))
    return out.getvalue()


# Password-protected Office files and the 97-2003 formats are OLE compound
# files rather than zips; they start with this signature.
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def is_ole_compound_file(path: Path) -> bool:
    """Whether ``path`` is an OLE compound file (encrypted or 97-2003 Office)."""
    try:
        with path.open("rb") as file:
            return file.read(len(_OLE_SIGNATURE)) == _OLE_SIGNATURE
    except OSError:
        return False


def protected_or_legacy_office(kind: str) -> str:
    """The user-facing message for an OLE file uploaded as ``kind`` (docx, xlsx, pptx)."""
    return (
        f"the file is password-protected or in the old Office 97-2003 format, not {kind.upper()}: "
        f"remove the password or save it as .{kind}, then upload it again"
    )
