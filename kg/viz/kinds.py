"""The node kinds of the graph page: a module of its own so `kg viz --help` needs nothing else."""

KINDS = ("plan", "document", "task", "agency")
