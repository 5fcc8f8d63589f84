"""Year-on-year diff of catalog editions (目录调整): matching, classification, summary."""
