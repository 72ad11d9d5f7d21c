"""The main menu marks one entry, by app rather than by URL words; a titulaire's breadcrumb
names its contracts as its menu does."""

from __future__ import annotations

import re

from django.urls import reverse

from openamo.web.pages import Breadcrumb, BreadcrumbLink, page_context
from tests.integration.web._amendments import make_contract, make_holders
from tests.integration.web.conftest import Cast, client_for, make_operation


def current_entries(html: str) -> list[tuple[str, str]]:
    menu = html.split('class="fr-nav__list"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'aria-current="(page|true)"[^>]*>([^<]+)<', menu)


def test_an_essential_data_page_marks_only_its_own_entry(cast: Cast) -> None:
    holders = make_holders(cast)
    contract = make_contract(cast, holders, make_operation(cast))
    client = client_for(cast.mo)
    url = reverse("opendata:essential", args=[cast.commune.pk, contract.pk])
    assert "/marches/" in url  # the words that used to light « Marchés » too
    assert current_entries(client.get(url).content.decode()) == [("true", "Données essentielles")]
    listing = client.get(reverse("contracts:list")).content.decode()
    assert current_entries(listing) == [("page", "Marchés")]
    detail = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert current_entries(detail) == [("true", "Marchés")]


def test_the_titulaire_s_trail_starts_from_its_own_contracts(cast: Cast) -> None:
    holders = make_holders(cast)
    contract = make_contract(cast, holders, make_operation(cast), holder=holders.company)
    client = client_for(holders.signer)
    detail = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    trail = detail.split('class="fr-breadcrumb__list"', 1)[1].split("</ol>", 1)[0]
    assert "Vos marchés" in trail
    assert ">Marchés<" not in trail
    listing = client.get(reverse("contracts:list")).content.decode()
    assert "<title>Vos marchés — OpenAMO</title>" in listing
    buyer = client_for(cast.mo).get(reverse("contracts:detail", args=[contract.pk]))
    assert "Vos marchés" not in buyer.content.decode().split('class="fr-breadcrumb__list"', 1)[1]


def test_a_page_s_trail_is_the_dsfr_breadcrumb_data() -> None:
    context = page_context("Lot 2", ("Opérations", "/operations/"), ("Cantine", "/operations/3/"))
    assert context["breadcrumb_data"] == Breadcrumb(
        links=[
            BreadcrumbLink(title="Opérations", url="/operations/"),
            BreadcrumbLink(title="Cantine", url="/operations/3/"),
        ],
        current="Lot 2",
    )
    assert context["title"] == "Lot 2"
