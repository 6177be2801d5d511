"""The registry: entities with names in several scripts, claims with sources, judgements."""
