"""What every page shares and no feature owns: page policies and headers, the page
cache, languages, static files, htmx fragments, error pages, rate limits and QR
drawing. No feature's routes live here; assets.py serves /static/ and /favicon.ico."""
