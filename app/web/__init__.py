"""What every page shares and no feature owns: headers, languages, static files,
htmx fragments, error pages, rate limits and QR drawing. No routes live here."""
