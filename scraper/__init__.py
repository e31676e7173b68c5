"""govreports scraper: finds and fetches report documents on agency sites, keeps their raw bytes and
the crawl state; it never parses (``parsers``) nor loads them (``db``): ``govreports.pipeline`` wires them."""
