"""Commands beyond `extract`, one module per pipeline stage; each registers itself on `kg.cli.main`."""

MODULES = ("graph", "viz", "check", "serve", "status")
