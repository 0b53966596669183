"""Open-data formats: schema.org JSON-LD, Open Graph, sitemap.xml, Atom feeds and iCalendar files."""
