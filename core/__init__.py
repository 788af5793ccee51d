"""The base every layer may import: diagnostics and their codes, source texts, output formatting,
the published format schemas, the house stylesheets and atomic file writes."""
