"""MIDDLE. Writing tables out: CSV, XLSX and JSON files from rows a workflow streams in."""
