"""Download files: the import dialog, the reconciliation with the API, and the coverage timeline."""
