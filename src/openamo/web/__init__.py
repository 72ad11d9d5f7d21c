"""Django web application: DSFR pages and the django-ninja API, thin adapters over the domain."""
