"""A real OpenID Connect provider for the ProConnect tests (django-oauth-toolkit), run in its
own process by ``tests/integration/web/test_proconnect.py``: not a mock of the client."""
