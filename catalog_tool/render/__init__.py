"""Rendering of results: terminal tables, JSON, CSV, Markdown. No business logic."""
