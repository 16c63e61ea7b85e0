"""Excel reports (openpyxl). No Qt here."""
