"""Hooks other capabilities hang on the import step (e.g. re-validating saved formularies).

A module with no imports, so a CLI module can register its hook at start-up without loading the
import machinery (pydantic, the store) that `--help` must not pay for."""

# Each hook is called as hook(db: CatalogDB, result: ImportResult) after an edition is imported.
AFTER_IMPORT: list = []
