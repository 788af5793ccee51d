"""Comparing versions of a framework: which element is which across versions (identity,
similarity, mapping files), the change report, and its text, HTML and JSON renderings."""
