"""The NinjaAPI instance: session authentication (CSRF-checked), French JSON errors."""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer
from ninja.security import SessionAuth

from openamo import __version__
from openamo.web.api import errors
from openamo.web.api.contracts import router as contracts_router
from openamo.web.api.operations import router as operations_router
from openamo.web.api.procedure import router as procedure_router
from openamo.web.api.schemas import MembershipOut, MeOut
from openamo.web.organisations.access import memberships
from openamo.web.organisations.models import OrganisationKind, Role
from openamo.web.users import AuthenticatedRequest, AuthenticatedUser


class FrenchJSONRenderer(JSONRenderer):
    """UTF-8 JSON: French messages stay readable (« é », not « \\u00e9 »)."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="API OpenAMO",
    version=__version__,
    description=(
        "API de l'assistance à maîtrise d'ouvrage numérique. Authentification par la session "
        "du site (cookie) ; les requêtes qui modifient exigent l'en-tête X-CSRFToken. "
        "Montants : chaînes d'euros HT à deux décimales (« 120000.00 ») ; dates AAAA-MM-JJ. "
        'Erreurs : `{"error": {"code", "message", "details"}}` en français.'
    ),
    auth=SessionAuth(),
    urls_namespace="api",
    docs_url="/docs",
    renderer=FrenchJSONRenderer(),
)
errors.install(api)
api.add_router("/operations", operations_router)
api.add_router("/procedure", procedure_router)
api.add_router("/marches", contracts_router)


@api.get("/moi", response=MeOut, tags=["compte"], summary="Utilisateur connecté et ses rôles")
def me(request: AuthenticatedRequest) -> MeOut:
    user: AuthenticatedUser = request.user
    return MeOut(
        username=user.username,
        full_name=user.get_full_name(),
        memberships=[
            MembershipOut(
                organisation_id=m.organisation_id,
                organisation=m.organisation.name,
                kind=OrganisationKind(m.organisation.kind),
                role=Role(m.role),
            )
            for m in memberships(user)
        ],
    )
