"""The pinyin table read straight from pypinyin's module file is pypinyin's own table."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]


def test_direct_table_equals_pypinyins_and_skips_the_package():
    code = (
        "import sys, json\n"
        "from catalog_tool.pinyin import pinyin_dict, initials\n"
        "direct = pinyin_dict(); loaded = 'pypinyin' in sys.modules\n"
        "from pypinyin.pinyin_dict import pinyin_dict as real\n"
        "print(json.dumps([direct == real, len(real) > 20000, loaded, initials('阿莫西林胶囊')]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(ROOT), "PATH": ""})
    assert out.stdout.strip() == '[true, true, false, "amxljn"]'
