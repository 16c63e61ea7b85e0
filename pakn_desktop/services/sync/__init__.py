"""Sync with the shared PostgreSQL server (decision 44). This slice: the push (``push``);
the pull, conflicts, evidence files and LISTEN/NOTIFY come next."""
