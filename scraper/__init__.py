"""govreports scraper: fetches report documents from agency sites (never parses or stores them)."""
