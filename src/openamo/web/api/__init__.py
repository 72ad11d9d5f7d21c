"""REST API (django-ninja) over the same services as the pages; OpenAPI at /api/docs."""
