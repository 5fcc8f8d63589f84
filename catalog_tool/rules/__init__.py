"""Restricted-payment rules (限定支付范围): parse the 备注 text into conditions by dimension,
apply the rules the 凡例 states, and decide PAY / DENY / REVIEW for claim lines."""

from catalog_tool.rules.parser import parse

__all__ = ["parse"]
