"""Import editions from files: gather metadata (edition.json, canonical files, options), read and
validate the items, and hand them to the store in one transaction."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from catalog_tool.errors import InputError
from catalog_tool.formats.items import ItemReader, read_edition_meta
from catalog_tool.formats.sections import is_table_of_items
from catalog_tool.formats.values import parse_date
from catalog_tool.hooks import AFTER_IMPORT
from catalog_tool.model import CatalogKind
from catalog_tool.store import CatalogDB, ImportResult

META_KEYS = ("title", "document_no", "issuer", "published", "effective", "replaces")



def expand_paths(paths: list[Path]) -> list[Path]:
    """Files as given; a folder stands for its item tables (*.csv, *.xlsx, *.json, *.xml), sorted,
    skipping side tables such as 药品分类 and an `edition.json` metadata file."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            found = sorted(
                f for f in p.iterdir()
                if f.suffix.lower() in {".csv", ".tsv", ".xlsx", ".xml", ".json"}
                and f.name != "edition.json" and is_table_of_items(f)
            )
            if not found:
                raise InputError("folder holds no catalog files", file=p)
            out += found
        else:
            out.append(p)
    return out


def normalise_meta(raw: dict, source: Path | str | None = None) -> dict:
    """Edition metadata as stored: ISO dates, known keys only, stated totals as ints."""
    meta: dict = {}
    for key in META_KEYS:
        value = raw.get(key)
        if value in (None, ""):
            continue
        if key in ("published", "effective"):
            try:
                value = value.isoformat() if isinstance(value, date) else parse_date(str(value)).isoformat()
            except ValueError as e:
                raise InputError(str(e), file=source, field=key) from None
        meta[key] = str(value)
    totals = raw.get("stated_totals") or {}
    if not isinstance(totals, dict):
        raise InputError("stated_totals must be an object of counts", file=source, field="stated_totals")
    try:
        meta["stated_totals"] = {str(k): int(v) for k, v in totals.items()}
    except (TypeError, ValueError):
        raise InputError("stated_totals must be whole numbers", file=source, field="stated_totals") from None
    tiers = raw.get("tiered_payment_standards")
    if tiers:
        from catalog_tool.pricing.tiers import tiers_from_edition

        tiers_from_edition({"tiered_payment_standards": tiers}, str(source))  # the shape and every tier row readable
        meta["tiered_payment_standards"] = tiers
    if meta.get("published") and meta.get("effective") and meta["effective"] < meta["published"]:
        raise InputError("effective date is before the published date", file=source, field="effective")
    return meta


def import_files(
    db: CatalogDB,
    kind: CatalogKind,
    paths: list[Path],
    edition_id: str | None = None,
    *,
    meta_file: Path | None = None,
    overrides: dict | None = None,
    replace: bool = False,
    sheet: str | None = None,
) -> ImportResult:
    """Import `paths` as one edition. Metadata precedence: options > meta file > the files' own."""
    files = expand_paths(paths)
    meta_path = meta_file
    if meta_path is None:
        folder_meta = [p / "edition.json" for p in paths if p.is_dir() and (p / "edition.json").is_file()]
        meta_path = folder_meta[0] if len(folder_meta) == 1 else None
    reader = ItemReader(kind, files, sheet=sheet)
    items = list(reader) if any(f.suffix.lower() in (".json", ".xml") for f in files) else reader
    embedded = next((s.edition_meta for s in reader.sources if s.edition_meta), None) or {}
    raw = dict(embedded)
    if meta_path is not None:
        raw.update(read_edition_meta(meta_path))
    raw.update({k: v for k, v in (overrides or {}).items() if v not in (None, "")})
    if embedded.get("kind") and embedded["kind"] != kind.value:
        raise InputError(f"file holds a {embedded['kind']} catalog, not {kind.value}", file=files[0], field="kind")
    edition_id = edition_id or embedded.get("id")
    if not edition_id:
        raise InputError("no edition id: give --edition", file=files[0])
    meta = normalise_meta(raw, meta_path or files[0])
    result = db.import_edition(
        kind, edition_id, items, meta, sources=reader.sources,
        stated_totals=meta.pop("stated_totals", {}), tiers=meta.pop("tiered_payment_standards", {}), replace=replace,
    )
    if result.status != "unchanged":
        for hook in AFTER_IMPORT:
            hook(db, result)
    return result
