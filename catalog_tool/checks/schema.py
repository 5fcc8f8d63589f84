"""Schema check: the manifest against `schemas/Manifest.json`, every edition table cell by cell
against its item schema (DrugItem, ConsumableItem, ServiceItem), other JSON files against the
schema their `$schema` names (edition metadata under `releases/` against Edition), and other
tables whose header is a schema's field names against that schema.

Cells are text: an empty cell is null, and a cell is turned into the number or boolean its
property allows before validating. Each distinct value of a column is validated once."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal, InvalidOperation

from catalog_tool.checks.findings import error
from catalog_tool.formats.datasets import MANIFEST, DatasetFolder, TableFile
from catalog_tool.formats.values import parse_flag
from catalog_tool.model import ITEM_MODELS
from catalog_tool.model.check import CheckFinding

_ANNOTATIONS = {"title", "description", "default", "examples"}
_TRIVIAL = ({"type": "string"}, {"anyOf": [{"type": "string"}, {"type": "null"}]})
PERIOD_COLUMN = "agreement_period"  # 协议有效期 of official files: a range the import splits


def best_match(errors):
    from jsonschema.exceptions import best_match as best

    return best(errors)


def _validator(schema: dict, sub: dict | None = None):
    from jsonschema import Draft202012Validator, FormatChecker

    body = dict(sub if sub is not None else schema)
    if sub is not None and "$defs" in schema:
        body["$defs"] = schema["$defs"]
    return Draft202012Validator(body, format_checker=FormatChecker())


def _types(schema: dict, prop: dict) -> set[str]:
    """JSON types a property allows (through anyOf and $ref)."""
    out: set[str] = set()
    stack = [prop]
    while stack:
        s = stack.pop()
        if "$ref" in s:
            stack.append(schema.get("$defs", {}).get(s["$ref"].rsplit("/", 1)[-1], {}))
        t = s.get("type")
        out.update([t] if isinstance(t, str) else t or [])
        stack.extend(s.get("anyOf", []))
    return out


def _value(text: str, types: set[str]) -> object:
    """A cell as the JSON value its property expects (text stays text when that is allowed)."""
    if text == "":
        return None
    if "string" in types:
        return text
    try:
        if "integer" in types and text.lstrip("+-").isdigit():
            return int(text)
        if "number" in types:
            return float(Decimal(text))
        if "boolean" in types:
            return parse_flag(text)
    except (InvalidOperation, ValueError):
        pass
    return text


def _path(err) -> str:
    return ".".join(str(p) for p in err.absolute_path) or None


def check_table(table: TableFile, schema: dict, name: str) -> list[CheckFinding]:
    """Every cell of `table` against the properties of `schema`."""
    props = schema.get("properties", {})
    out: list[CheckFinding] = []
    columns = {}
    for i, (header, field) in enumerate(zip(table.header, table.fields)):
        f = field or (header if header in props else None)
        if f == PERIOD_COLUMN:
            continue
        if f is None or f not in props:
            out.append(error("schema.unknown-column", f"column {header!r} is not a field of {name}", table.rel, 1, header))
            continue
        columns[f] = (i, header)
    for req in schema.get("required", []):
        if req not in columns:
            out.append(error("schema.missing-column", f"{name} requires a {req!r} column", table.rel, 1, req))
    lines = table.lines
    for f, (i, header) in columns.items():
        prop = {k: v for k, v in props[f].items() if k not in _ANNOTATIONS}
        required = f in schema.get("required", [])
        if prop in _TRIVIAL and not required:
            continue
        types, validator = _types(schema, prop), _validator(schema, prop)
        rows_by_value: dict[str, list[int]] = defaultdict(list)
        for n, text in enumerate(table.columns[i]):
            rows_by_value[text].append(n)
        for text, positions in rows_by_value.items():
            value = _value(text, types)
            if value is None and required:
                message = "required value is empty"
            else:
                err = best_match(validator.iter_errors(value))
                if err is None:
                    continue
                message = f"{name}.{f}: {err.message}"
            out.extend(error("schema.cell", message, table.rel, lines[n], header) for n in positions)
    return out


def check_json(rel: str, data: object, schema: dict, name: str) -> list[CheckFinding]:
    return [error("schema.json", f"{name}: {e.message}", rel, None, _path(e))
            for e in sorted(_validator(schema).iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))]


def _schema_for_table(table: TableFile, schemas: dict[str, dict]) -> str | None:
    """The one schema whose properties name every column and which the table covers the required of."""
    header = set(table.header)
    fits = [n for n, s in schemas.items()
            if header <= set(s.get("properties", {})) and set(s.get("required", [])) <= header and len(header) > 1]
    return fits[0] if len(fits) == 1 else None


def check_schema(folder: DatasetFolder) -> list[CheckFinding]:
    schemas, out = folder.schemas, []
    if folder.manifest is not None and "Manifest" in schemas:
        out += check_json(MANIFEST, folder.manifest, schemas["Manifest"], "Manifest")
    for ed in folder.editions:
        if ed.kind is None:
            continue  # the manifest schema reports the unknown kind
        name = ITEM_MODELS[ed.kind].__name__
        for table in ed.tables:
            out += check_table(table, schemas[name], name)
    for rel, data in folder.json_files.items():
        ref = data.get("$schema") if isinstance(data, dict) else None
        name = ref.rsplit("/", 1)[-1].removesuffix(".json") if isinstance(ref, str) else None
        if name in schemas:
            out += check_json(rel, {k: v for k, v in data.items() if k != "$schema"}, schemas[name], name)
        elif rel.startswith("releases/") and "Edition" in schemas:
            metadata = dict(schemas["Edition"], required=[])  # release metadata: the edition without kind and id
            out += check_json(rel, data, metadata, "Edition")
    for table in folder.side_tables:
        name = _schema_for_table(table, schemas)
        if name:
            out += check_table(table, schemas[name], name)
    return out
