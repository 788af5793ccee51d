"""The framework language: grammar, parser and syntax tree."""
