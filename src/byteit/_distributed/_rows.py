"""Rows in and out, as the engine handed them over: a list of dicts, a dict of
columns (Ray Data's default batches: numpy arrays), a pandas DataFrame or a
pyarrow Table. numpy, pandas and pyarrow are never imported here unless the rows
came as one of theirs (they are loaded already then).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import attrs

from byteit.exceptions import ValidationError

COLUMNS = ("input", "ok", "output", "error_type", "error", "job_id", "credits")
Kind = Literal["list", "columns", "pandas", "arrow"]


@attrs.frozen
class Rows:
    """A partition's documents as read: what each row's ``input`` and ``name`` hold."""

    kind: Kind
    inputs: list[Any]
    names: list[Any]
    original: Any


def read_rows(rows: Any) -> Rows:
    """The inputs (and optional file names) of `rows`, whatever kind of table it is.

    Raises:
        ValidationError: Not a table this accepts, or one without an ``input`` column.
    """
    kind = _kind(rows)
    if kind == "list":
        records = [row if isinstance(row, Mapping) else {} for row in rows]
        return Rows(kind, [r.get("input") for r in records], [r.get("name") for r in records], rows)
    columns = list(rows.columns if kind == "pandas" else _column_names(rows, kind))
    if "input" not in columns:
        raise ValidationError(f"the rows have no 'input' column (they have {columns})")
    inputs = _column(rows, kind, "input")
    names = _column(rows, kind, "name") if "name" in columns else [None] * len(inputs)
    return Rows(kind, inputs, names, rows)


def _kind(rows: Any) -> Kind:
    module = type(rows).__module__.split(".")[0]
    if module == "pandas" and hasattr(rows, "columns"):
        return "pandas"
    if module == "pyarrow" and hasattr(rows, "column_names"):
        return "arrow"
    if isinstance(rows, Mapping):
        return "columns"
    if isinstance(rows, Sequence) and not isinstance(rows, (str, bytes)):
        return "list"
    raise ValidationError(
        "rows must be a list of dicts, a pandas DataFrame or a pyarrow Table, "
        f"not {type(rows).__name__}"
    )


def _column_names(rows: Any, kind: Kind) -> list[str]:
    return list(rows) if kind == "columns" else list(rows.column_names)


def _column(rows: Any, kind: Kind, name: str) -> list[Any]:
    if kind == "pandas":
        return list(rows[name].tolist())
    if kind == "columns":
        return list(rows[name])
    return list(rows.column(name).to_pylist())


def write_rows(rows: Rows, results: Sequence[dict[str, Any]]) -> Any:
    """`results` (one dict per row, with `COLUMNS`) as the kind of table `rows` came as."""
    if rows.kind == "list":
        return list(results)
    if rows.kind == "columns":
        return _columns(results)
    if rows.kind == "pandas":
        pandas = sys.modules["pandas"]
        frame = pandas.DataFrame(list(results), columns=list(COLUMNS), index=rows.original.index)
        return frame.astype({"ok": bool, "credits": "float64"})
    pyarrow = sys.modules["pyarrow"]
    schema = pyarrow.schema(
        [
            ("input", rows.original.schema.field("input").type),
            ("ok", pyarrow.bool_()),
            ("output", pyarrow.string()),
            ("error_type", pyarrow.string()),
            ("error", pyarrow.string()),
            ("job_id", pyarrow.string()),
            ("credits", pyarrow.float64()),
        ]
    )
    # A RecordBatch (Spark's mapInArrow hands them over) comes back as one.
    kind = pyarrow.RecordBatch if isinstance(rows.original, pyarrow.RecordBatch) else pyarrow.Table
    return kind.from_pylist(list(results), schema=schema)


def _columns(results: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """A dict of columns: numpy arrays (as Ray Data's batches are) when numpy is loaded."""
    numpy = sys.modules.get("numpy")
    columns: dict[str, Any] = {name: [row[name] for row in results] for name in COLUMNS}
    if numpy is None:
        return columns
    dtypes = {"ok": bool, "credits": "float64"}
    return {name: numpy.array(v, dtype=dtypes.get(name, object)) for name, v in columns.items()}
