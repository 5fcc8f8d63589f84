"""The project's own layouts: JSON and XML carry the edition with its items; CSV and XLSX the items
(XLSX adds an `edition` sheet). Field names are the model's; documented in docs/formats.md."""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from catalog_tool.errors import InputError
from catalog_tool.formats.encoding import read_bytes, read_text

XML_ROOT = "catalog"


# -- reading -------------------------------------------------------------------------------
def read_json(path: Path) -> tuple[dict | None, Iterator[tuple[int, dict]]]:
    text, _ = read_text(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(f"malformed JSON: {e.msg}", file=path, row=e.lineno) from None
    if isinstance(data, list):
        meta, items = None, data
    elif isinstance(data, dict) and isinstance(data.get("items"), list):
        meta, items = data.get("edition"), data["items"]
    else:
        raise InputError('expected a list of items or {"edition": …, "items": […]}', file=path)

    def records() -> Iterator[tuple[int, dict]]:
        for i, rec in enumerate(items, start=1):
            if not isinstance(rec, dict):
                raise InputError("item is not a JSON object", file=path, row=i)
            yield i, rec

    return meta, records()


def read_xml(path: Path) -> tuple[dict | None, Iterator[tuple[int, dict]]]:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
    try:
        root = etree.fromstring(read_bytes(path), parser)
    except etree.XMLSyntaxError as e:
        raise InputError(f"malformed XML: {e.msg}", file=path, row=e.lineno) from None
    if root.tag != XML_ROOT:
        raise InputError(f"root element must be <{XML_ROOT}>, got <{root.tag}>", file=path, row=root.sourceline)
    meta = None
    ed = root.find("edition")
    if ed is not None:
        meta = {child.tag: _xml_value(child, path) for child in ed if isinstance(child.tag, str)}
    items = root.find("items")

    def records() -> Iterator[tuple[int, dict]]:
        if items is None:
            return
        for el in items:
            if not isinstance(el.tag, str):
                continue
            if el.tag != "item":
                raise InputError(f"unexpected element <{el.tag}> in <items>", file=path, row=el.sourceline)
            yield el.sourceline, {c.tag: (c.text or "") for c in el if isinstance(c.tag, str)}

    return meta, records()


def _xml_value(el, path: Path) -> object:
    if el.tag == "source_files":
        return [dict(f.attrib) for f in el]
    if el.tag == "stated_totals":
        try:
            return {t.get("name"): int(t.get("value")) for t in el}
        except (TypeError, ValueError):
            raise InputError("a <total> value is not a whole number", file=path, row=el.sourceline,
                             field="stated_totals") from None
    if el.tag == "tiered_payment_standards":
        try:
            return json.loads(el.text or "{}")
        except json.JSONDecodeError as e:
            raise InputError(f"malformed JSON in <tiered_payment_standards>: {e.msg}", file=path,
                             row=el.sourceline) from None
    return el.text or ""


# -- writing -------------------------------------------------------------------------------
@contextmanager
def atomic_output(path: Path, mode: str = "w", **kw):
    """Write to a temporary file beside `path`, renamed into place only on success."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise InputError("output folder does not exist", file=path)
    if path.is_dir():
        raise InputError("is a folder: give a file name to write", file=path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    except OSError as e:
        raise InputError(f"cannot write here: {e.strerror or e}", file=path) from None
    os.close(fd)
    try:
        with open(tmp, mode, **kw) as fh:
            yield fh
        os.chmod(tmp, _file_mode(path))  # mkstemp makes it 0600: give it the mode a plain open() would
        os.replace(tmp, path)
    except OSError as e:  # disk full, quota: the error names the temporary file, the user gave `path`
        Path(tmp).unlink(missing_ok=True)
        if e.filename in (None, tmp):
            raise InputError(f"cannot write: {e.strerror or e} (nothing was written)", file=path) from None
        raise
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _file_mode(path: Path) -> int:
    """The mode of the file being replaced, else what the umask allows a new file (0644 usually)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def write_csv(path: Path, fields: tuple[str, ...], rows: Iterable[tuple]) -> None:
    with atomic_output(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(fields)
        w.writerows(tuple("" if x is None else x for x in r) for r in rows)


def write_json(path: Path, meta: dict, fields: tuple[str, ...], rows: Iterable[tuple]) -> None:
    items = [{f: x for f, x in zip(fields, r) if x is not None} for r in rows]
    with atomic_output(path, "w", encoding="utf-8") as fh:
        json.dump({"edition": meta, "items": items}, fh, ensure_ascii=False, indent=1, default=str)
        fh.write("\n")


def write_xml(path: Path, meta: dict, fields: tuple[str, ...], rows: Iterable[tuple]) -> None:
    from lxml import etree

    root = etree.Element(XML_ROOT, kind=str(meta.get("kind", "")), edition=str(meta.get("id", "")))
    ed = etree.SubElement(root, "edition")
    for key, value in meta.items():
        if value is None or value == [] or value == {}:
            continue
        el = etree.SubElement(ed, key)
        if key == "source_files":
            for sf in value:
                etree.SubElement(el, "file", {k: str(x) for k, x in sf.items()})
        elif key == "stated_totals":
            for name, n in value.items():
                etree.SubElement(el, "total", name=name, value=str(n))
        elif isinstance(value, dict):  # a nested document (tiered prices): kept as JSON text
            el.text = json.dumps(value, ensure_ascii=False)
        else:
            el.text = str(value)
    items = etree.SubElement(root, "items")
    for r in rows:
        item = etree.SubElement(items, "item")
        for f, x in zip(fields, r):
            if x is not None:
                etree.SubElement(item, f).text = str(x)
    with atomic_output(path, "wb") as fh:
        fh.write(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def write_xlsx(path: Path, meta: dict, fields: tuple[str, ...], rows: Iterable[tuple]) -> None:
    import xlsxwriter

    with atomic_output(path, "wb") as fh:
        wb = xlsxwriter.Workbook(fh, {"constant_memory": True, "strings_to_numbers": False,
                                      "strings_to_formulas": False, "strings_to_urls": False})
        ws = wb.add_worksheet("items")
        ws.write_row(0, 0, fields)
        for i, r in enumerate(rows, start=1):
            ws.write_row(i, 0, ["" if x is None else str(x) for x in r])
        es = wb.add_worksheet("edition")
        for i, (k, x) in enumerate(meta.items()):
            es.write_row(i, 0, [k, json.dumps(x, ensure_ascii=False, default=str) if isinstance(x, (list, dict)) else ("" if x is None else str(x))])
        wb.close()
