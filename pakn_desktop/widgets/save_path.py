"""The one way a screen asks where to save a file it writes."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget


def ask_save_path(
    parent: QWidget, title: str, suggested: str | Path, file_filter: str, suffix: str
) -> Path | None:
    """The file the user picks, ``suffix`` (".pdf", ".xlsx"…) added when the name typed lacks
    it (added, not swapped: "bc.07.12" becomes "bc.07.12.pdf"); None when they cancel."""
    name, _chosen = QFileDialog.getSaveFileName(parent, title, str(suggested), file_filter)
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == suffix else path.with_name(path.name + suffix)
