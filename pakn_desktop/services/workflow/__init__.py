"""Handling workflow: steps, bulk, merging, results, publication, routing and forward choices."""
