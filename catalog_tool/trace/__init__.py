"""Drug traceability codes (药品追溯码): parse and validate every family, judge settlements by them
("无码不付"), and find codes sold more than once."""

from catalog_tool.trace.parse import DEFAULT_RULES, TraceRules, parse_code

__all__ = ["DEFAULT_RULES", "TraceRules", "parse_code"]
