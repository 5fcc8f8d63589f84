"""Decode text files whose encoding nobody states: UTF-8 (with or without BOM), GBK, GB18030."""

from __future__ import annotations

from pathlib import Path

from catalog_tool.errors import InputError

# GB18030 is a superset of GBK and GB2312, so one attempt covers all three.
_ENCODINGS = ("utf-8-sig", "gb18030")


def read_bytes(path: str | Path) -> bytes:
    """Read a file, turning OS errors into one clear `InputError`."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", file=path) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a file", file=path) from None
    except OSError as e:
        raise InputError(f"cannot read file: {e.strerror or e}", file=path) from None


def decode(data: bytes, path: str | Path) -> tuple[str, str]:
    """Return (text, encoding). UTF-8 is tried first: GBK bytes almost never decode as UTF-8."""
    if b"\x00" in data[:4096]:
        raise InputError("binary file, not text (NUL bytes)", file=path)
    failures = []
    for enc in _ENCODINGS:
        try:
            return data.decode(enc), ("utf-8" if enc == "utf-8-sig" else enc)
        except UnicodeDecodeError as e:
            failures.append((e.start, "UTF-8" if enc == "utf-8-sig" else "GBK/GB18030"))
    # Neither fits: name the row where the encoding that read furthest stopped (a GBK file with one
    # damaged row fails UTF-8 at its first Chinese byte, GB18030 only at the damage).
    start, enc = max(failures)
    row = data.count(b"\n", 0, start) + 1
    raise InputError(f"cannot decode as UTF-8, GBK or GB18030 (byte 0x{data[start]:02x} at offset {start}; "
                     f"the file reads as {enc} up to there)", file=path, row=row)


def read_text(path: str | Path) -> tuple[str, str]:
    """Read and decode a text file: (text, encoding)."""
    return decode(read_bytes(path), path)
