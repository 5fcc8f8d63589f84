"""Negotiated-drug pricing: payment standards parsed per spec, unit normalisation (差比价),
renewal simulation under versioned rule tables, and price drops."""

from catalog_tool.pricing.parse import parse_payment_standard, relative_change

__all__ = ["parse_payment_standard", "relative_change"]
