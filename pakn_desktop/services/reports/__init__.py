"""Report figures and exports: the daily report, exports of views (issue 15)."""
