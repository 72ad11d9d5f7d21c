"""ProConnect's claims: email, given_name, usual_name, siret, uid (each behind its own scope).
A user's SIRET is the name of its group ``siret:<number>``."""

from __future__ import annotations

from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator


class ProConnectLikeValidator(OAuth2Validator):  # type: ignore[misc]
    oidc_claim_scope = {
        "sub": "openid",
        "email": "email",
        "given_name": "given_name",
        "usual_name": "usual_name",
        "siret": "siret",
        "uid": "uid",
    }

    def get_additional_claims(self, request: Any) -> dict[str, str]:
        user = request.user
        group = user.groups.filter(name__startswith="siret:").first()
        return {
            "email": user.email,
            "given_name": user.first_name,
            "usual_name": user.last_name,
            "siret": group.name.removeprefix("siret:") if group else "",
            "uid": user.username,
        }
