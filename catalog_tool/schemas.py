"""Generate JSON Schemas of every pydantic model in `catalog_tool.model` into `schemas/`.

`python -m catalog_tool.schemas` writes them; `--check` exits 1 when the files drifted from the
models (a test runs that). One file per model, named after it.
"""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import sys
from pathlib import Path

from pydantic import BaseModel

from catalog_tool.paths import PROJECT_DIR

SCHEMAS_DIR = PROJECT_DIR / "schemas"


def models() -> dict[str, type[BaseModel]]:
    """Every BaseModel subclass defined in a module of `catalog_tool.model`, by class name."""
    import catalog_tool.model as pkg

    found: dict[str, type[BaseModel]] = {}
    for mod in pkgutil.iter_modules(pkg.__path__):
        module = importlib.import_module(f"{pkg.__name__}.{mod.name}")
        for name, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, BaseModel) and obj.__module__ == module.__name__:
                if name in found:  # one file per name: a second model would overwrite the first's schema
                    raise SystemExit(f"two models named {name}: {found[name].__module__} and {module.__name__}")
                found[name] = obj
    return dict(sorted(found.items()))


def render(model: type[BaseModel]) -> str:
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://catalog-tool.example/schemas/{model.__name__}.json"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def expected() -> dict[str, str]:
    return {f"{name}.json": render(m) for name, m in models().items()}


def drifted(directory: Path = SCHEMAS_DIR) -> list[str]:
    """File names whose content differs from the models (missing, stale or orphaned)."""
    want = expected()
    have = {p.name for p in directory.glob("*.json")} if directory.is_dir() else set()
    out = [n for n, text in want.items() if not (directory / n).is_file() or (directory / n).read_text(encoding="utf-8") != text]
    out += sorted(have - set(want))
    return out


def write(directory: Path = SCHEMAS_DIR) -> list[str]:
    directory.mkdir(parents=True, exist_ok=True)
    want = expected()
    for name, text in want.items():
        (directory / name).write_text(text, encoding="utf-8")
    for p in directory.glob("*.json"):
        if p.name not in want:
            p.unlink()
    return sorted(want)


if __name__ == "__main__":
    if "--check" in sys.argv:
        bad = drifted()
        if bad:
            print("schemas drifted from the models: " + ", ".join(bad) + " (run python -m catalog_tool.schemas)")
            sys.exit(1)
        print("schemas match the models")
    else:
        print("\n".join(f"wrote schemas/{n}" for n in write()))
