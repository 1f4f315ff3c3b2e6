"""Resolve: who a citation points to (identity, jurisdiction, IRIs)."""
