"""The dashboard screen: live pyqtgraph charts (imports pyqtgraph; built when first shown)."""
