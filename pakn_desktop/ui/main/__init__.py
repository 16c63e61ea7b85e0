"""The main window: navigation, screens, status bar."""
