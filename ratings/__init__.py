"""The rating engine: ratings follow mechanically from a framework's published rules."""
