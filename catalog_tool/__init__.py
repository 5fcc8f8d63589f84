"""catalog-tool: China's national medical insurance catalogs (医保目录) as versioned data.

The version lives here and only here; pyproject.toml reads it.
"""

__version__ = "0.2.0"
