"""Exports: evidence bundles (BagIt) that anyone can verify offline, and their reports."""
