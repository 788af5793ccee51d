"""Frameworks written in other formats, read into framework text: Word (.docx) first (issue 16 §1)."""
