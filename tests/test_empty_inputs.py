"""A file with a header and no rows is a failed export, not an empty result: every command that
reads one says so in one line and exits 2, instead of passing a check on nothing."""

from __future__ import annotations

import pytest

from catalog_tool.paths import DATASETS_DIR

SAMPLES = DATASETS_DIR / "samples"


@pytest.mark.parametrize("sample,args,expected", [
    ("claims-2025.csv", ("rules", "check", "{f}", "-e", "drugs-2025"), "no claim lines"),
    ("hospital-formulary.csv", ("formulary", "validate", "{f}", "-e", "drugs-2025"), "no items"),
    ("trace-settlements.csv", ("trace", "settle", "{f}", "-e", "drugs-2025"), "no settlement lines"),
    ("pre-negotiation-prices.csv", ("price-drops", "-e", "drugs-2025", "--before", "{f}"), "no prices"),
    ("renewal-cases.csv", ("renewal", "simulate", "{f}"), "no cases"),
])
def test_header_only_files_are_refused(cli, tmp_path, sample, args, expected):
    raw = (SAMPLES / sample).read_bytes()
    header_only = tmp_path / sample
    header_only.write_bytes(raw.split(b"\n", 1)[0] + b"\n")  # the sample's own header, in its own encoding
    cli("editions")  # load the embedded editions first (a note on stderr)
    r = cli(*(str(header_only) if a == "{f}" else a for a in args))
    assert r.exit_code == 2, r.output
    assert f"{sample}, row 2: {expected}: the file has a header and no rows" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
