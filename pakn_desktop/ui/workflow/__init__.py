"""The handling workflow's widgets: actions on a report, their dialogs, bulk actions."""
