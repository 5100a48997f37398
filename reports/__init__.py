"""Reports for supervisors and agents, and the live queue board.

Figures are read from daily rollups and per-ticket facts that a beat task
keeps up to date (``reports.services``); every sum, count and percentile is
computed by the database.
"""
