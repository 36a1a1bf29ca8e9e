"""levelup: turn everyday engineering work into a promotion case."""

__version__ = "0.1.0"
