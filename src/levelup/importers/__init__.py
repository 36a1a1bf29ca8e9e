"""Importers: plugins that read work from other tools and yield plain records."""
