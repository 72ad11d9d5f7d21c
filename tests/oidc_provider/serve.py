"""Start the test provider: migrate its SQLite base, create its people and the OpenAMO client
from the JSON given on the command line, then serve on a free port of 127.0.0.1 (printed as
« PORT <n> » on the standard output) until killed.

    python -m tests.oidc_provider.serve '{"client_id": …, "client_secret": …,
        "redirect_uris": […], "post_logout_redirect_uris": […],
        "users": [{"username": …, "password": …, "email": …, "first_name": …,
                   "last_name": …, "siret": …}]}'
"""

from __future__ import annotations

import json
import os
import sys
from wsgiref.simple_server import WSGIRequestHandler, make_server


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.oidc_provider.settings")
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    config = json.loads(sys.argv[1])
    call_command("migrate", verbosity=0, interactive=False)
    for person in config["users"]:
        user = User.objects.create_user(
            person["username"],
            email=person["email"],
            password=person["password"],
            first_name=person["first_name"],
            last_name=person["last_name"],
        )
        if person.get("siret"):
            user.groups.add(Group.objects.get_or_create(name=f"siret:{person['siret']}")[0])
    Application.objects.create(
        name="OpenAMO",
        client_id=config["client_id"],
        client_secret=config["client_secret"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(config["redirect_uris"]),
        post_logout_redirect_uris=" ".join(config["post_logout_redirect_uris"]),
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=False,  # the person consents on the provider's page
    )
    server = make_server("127.0.0.1", 0, get_wsgi_application(), handler_class=QuietHandler)
    sys.stdout.write(f"PORT {server.server_port}\n")
    sys.stdout.flush()
    server.serve_forever()


if __name__ == "__main__":
    main()
