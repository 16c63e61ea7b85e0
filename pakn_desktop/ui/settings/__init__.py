"""Settings dialogs (administrators): deadline rules and the working calendar."""
