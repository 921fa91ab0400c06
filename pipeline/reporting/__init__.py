"""Reporting: the budget synthesis (pure pandas) and its writers (HTML, CSV, xlsx, charts)."""
