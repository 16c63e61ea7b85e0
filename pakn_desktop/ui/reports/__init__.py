"""The Reports screen ("Báo cáo"): the daily report's period, preview and export."""
