"""Intake: the form's rules, the save, drafts, caller history and possible duplicates."""
