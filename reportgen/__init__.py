"""reportgen: curated YAML incidents in, analytical briefings out."""

__version__ = "0.1.0"
