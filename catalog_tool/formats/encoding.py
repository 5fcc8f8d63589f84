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
    for enc in _ENCODINGS:
        try:
            return data.decode(enc), ("utf-8" if enc == "utf-8-sig" else enc)
        except UnicodeDecodeError:
            continue
    # Neither fits: name the row of the first byte UTF-8 rejects.
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        row = data.count(b"\n", 0, e.start) + 1
        raise InputError(
            f"cannot decode as UTF-8, GBK or GB18030 (byte 0x{data[e.start]:02x} at offset {e.start})",
            file=path,
            row=row,
        ) from None
    raise InputError("cannot decode text", file=path)  # pragma: no cover


def read_text(path: str | Path) -> tuple[str, str]:
    """Read and decode a text file: (text, encoding)."""
    return decode(read_bytes(path), path)
