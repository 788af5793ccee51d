"""`precepts lsp`: a language server over stdio (pygls), a thin adapter over the public API.

Diagnostics come from `precepts.check`, the same road as `precepts check`; the features
(hover, definitions, references, completion, symbols, code actions, formatting) read the
syntax tree and model that the check produced. See features.py and server.py.
"""
