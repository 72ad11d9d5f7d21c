"""Start and stop the test OpenID provider (``serve``) from a test: an RSA key of its own, a
SQLite base in ``directory``, its people and the OpenAMO client registered for ``openamo``
(the base address of the OpenAMO under test, such as ``http://testserver``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "openamo-test"
CLIENT_SECRET = "secret-du-client-openamo-de-test"
PASSWORD = "mot de passe chez le fournisseur"


@contextmanager
def provider(
    directory: Path, openamo: str, people: Mapping[str, tuple[str, str, str, str]]
) -> Iterator[str]:
    """The provider's issuer (``http://127.0.0.1:<port>/o``) while the block runs.
    ``people``: username → (email, given name, usual name, SIRET)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    (directory / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    config = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "redirect_uris": [f"{openamo}/proconnect/retour/"],
        "post_logout_redirect_uris": [f"{openamo}/proconnect/deconnecte/"],
        "users": [
            {
                "username": username,
                "password": PASSWORD,
                "email": email,
                "first_name": first,
                "last_name": last,
                "siret": siret,
            }
            for username, (email, first, last, siret) in people.items()
        ],
    }
    env = {**os.environ, "OIDC_TEST_DIR": str(directory), "PYTHONPATH": str(ROOT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.oidc_provider.serve", json.dumps(config)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None and process.stderr is not None
        line = process.stdout.readline()
        if not line.startswith("PORT "):
            raise RuntimeError(f"Le fournisseur de test n'a pas démarré : {process.stderr.read()}")
        yield f"http://127.0.0.1:{int(line.split()[1])}/o"
    finally:
        process.terminate()
        process.communicate(timeout=10)  # closes its pipes
