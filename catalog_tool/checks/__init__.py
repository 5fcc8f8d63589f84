"""Checks of a datasets folder before it ships (`catalog-tool check`): one module per family, each
a pure function from the loaded folder to findings; `run.run_checks` gathers them in a CheckReport."""

from catalog_tool.checks.run import CHECKS, run_checks

__all__ = ["CHECKS", "run_checks"]
