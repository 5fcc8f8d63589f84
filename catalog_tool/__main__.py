"""`python -m catalog_tool` runs the command line."""

from catalog_tool.cli import main

main()
