"""Volume-based procurement (国家组织药品集中带量采购): evaluate bids under a batch's rule set,
assign provinces and agreed quantities, and track hospitals' completion. Pure functions over
the models of `catalog_tool.model.procurement`; reading files lives in `formats.vbp_batch`."""

from catalog_tool.procurement.ruleset import load_rules, rule_names
from catalog_tool.procurement.select import evaluate, evaluate_drug

__all__ = ["evaluate", "evaluate_drug", "load_rules", "rule_names"]
