"""The parts of the git importer: running `git log`, reading its output, grouping commits.

``levelup.importers.git`` puts them together; nothing here touches the database.
"""
