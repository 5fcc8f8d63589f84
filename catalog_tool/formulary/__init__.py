"""Hospital formulary validation (对码核查): match each local item to an edition, report findings,
suggest national codes for unmapped or wrongly mapped items."""

from catalog_tool.formulary.validate import ValidationOptions, validate_formulary

__all__ = ["ValidationOptions", "validate_formulary"]
