"""The command line's structured extraction: ``byteit extract --schema`` and ``byteit schemas``.

`cli` parses the arguments and opens the client; this module reads a ``--schema``
(``models.py:Invoice``, a JSON Schema file, or a saved schema's name), runs the
batch, and says what it wrote and what it cost.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path
from typing import Any, TextIO

import attrs
import pydantic

from byteit._batch._budget import Credits
from byteit._batch._results import ItemResult
from byteit._clients._sync_client import ByteITClient
from byteit._extract._many import extraction_json
from byteit.exceptions import ValidationError
from byteit.models import Extraction

__all__ = ["add_schemas", "load_schema", "run_schemas", "summary", "write_structured"]

SchemaArgument = type[pydantic.BaseModel] | dict[str, Any] | str


def load_schema(given: str) -> SchemaArgument:
    """``file.py:Model`` (a pydantic model in a Python file), a ``.json`` JSON Schema
    file, or else a saved schema's name."""
    path, _, name = given.rpartition(":")
    if path.endswith(".py") and name:
        return _model_from_file(Path(path), name)
    if given.endswith(".json") or Path(given).is_file():
        return _json_schema_file(Path(given))
    return given


def _model_from_file(path: Path, name: str) -> type[pydantic.BaseModel]:
    if not path.is_file():
        raise ValidationError(f"--schema {path}:{name}: no such file {path}")
    spec = importlib.util.spec_from_file_location(f"byteit_schema_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise ValidationError(f"--schema {path}:{name}: cannot load {path} as Python")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # pydantic resolves the model's annotations through it
    spec.loader.exec_module(module)
    model = getattr(module, name, None)
    if not (isinstance(model, type) and issubclass(model, pydantic.BaseModel)):
        raise ValidationError(f"--schema {path}:{name}: {name} is not a pydantic model in {path}")
    return model


def _json_schema_file(path: Path) -> dict[str, Any]:
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValidationError(f"--schema {path}: cannot read it: {exc.strerror}") from None
    except ValueError as exc:
        raise ValidationError(f"--schema {path}: not JSON: {exc}") from None
    if not isinstance(schema, dict):
        raise ValidationError(f"--schema {path}: a JSON Schema is an object, not {schema!r:.60}")
    return schema


def write_structured(results: list[ItemResult[Any]], out: TextIO) -> None:
    """The data returned rather than written: one JSON document per line, in input order."""
    for result in results:
        if isinstance(result.value, Extraction):
            data = json.loads(extraction_json(result.value))
            out.write(json.dumps({"input": str(result.input), "data": data}) + "\n")


def summary(results: list[ItemResult[Any]], credits: Credits | None, *, structured: bool) -> str:
    """``6 extracted, 0 failed; 12 credits (6 parse, 6 extract)``."""
    failed = sum(not result.ok for result in results)
    line = f"{len(results) - failed} extracted, {failed} failed"
    if credits is None:
        return line
    if structured:
        split = f" ({credits.parse:g} parse, {credits.extract:g} extract)"
        return f"{line}; {credits.total:g} credits{split}"
    return f"{line}; {credits.total:g} credits"


def add_schemas(commands: Any, connection_options: Any, handler: Any) -> None:
    parser = commands.add_parser("schemas", help="save, list, read and delete saved schemas")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="your saved schemas' names")
    get = actions.add_parser("get", help="one saved schema, as JSON")
    get.add_argument("name")
    save = actions.add_parser("save", help="save a schema (models.py:Model or a .json file)")
    save.add_argument("name")
    save.add_argument("schema", help="models.py:Model, or a JSON Schema file")
    delete = actions.add_parser("delete", help="delete a saved schema")
    delete.add_argument("name")
    for action in (listing, get, save, delete):
        connection_options(action)
        action.set_defaults(handler=handler)


def run_schemas(args: argparse.Namespace, client: ByteITClient, out: TextIO) -> int:
    """One ``byteit schemas`` action."""
    if args.action == "list":
        for saved in client.list_schemas():
            out.write(f"{saved.name}\n")
    elif args.action == "get":
        out.write(json.dumps(attrs.asdict(client.get_schema(args.name)), indent=2) + "\n")
    elif args.action == "save":
        schema = load_schema(args.schema)
        if isinstance(schema, str):
            raise ValidationError(f"{args.schema}: give models.py:Model or a JSON Schema file")
        client.save_schema(args.name, schema)
        out.write(f"saved {args.name}\n")
    else:
        client.delete_schema(args.name)
        out.write(f"deleted {args.name}\n")
    return 0
