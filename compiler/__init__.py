"""Resolution of the syntax tree into the semantic model of a framework."""
