"""Bulk exchange of the catalogue: the import format (docs/import-format.md), import, export and downloads."""
