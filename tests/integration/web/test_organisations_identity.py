"""The organisation's identity page: what letters, the DCE and the avenants print of the buyer
(name, category, population, postal address). Its managers change it, its members read it,
everybody else gets a 404; a bad address is refused in French and what was typed is kept."""

from __future__ import annotations

from django.urls import reverse

from openamo.web.audit.models import AuditEvent
from openamo.web.award.letters import buyer_postal
from openamo.web.operations.models import Operation
from openamo.web.organisations.models import Organisation
from tests.integration.web.conftest import Cast, client_for, text

ADDRESS = "Hôtel de ville\r\n1 place de la Mairie\r\n44000 Saint-Exemple"


def identity_url(cast: Cast) -> str:
    return reverse("organisations:identity", args=[cast.commune.pk])


def posted(**changes: str) -> dict[str, str]:
    return {
        "name": "Commune de Saint-Exemple",
        "buyer": "collectivite",
        "population": "7000",
        "postal_address": ADDRESS,
        **changes,
    }


def test_the_maitre_d_ouvrage_sets_the_postal_address_and_the_journal_keeps_it(
    cast: Cast,
) -> None:
    response = client_for(cast.mo).post(identity_url(cast), posted(), follow=True)
    assert "Identité de l'organisation enregistrée." in text(response)
    commune = Organisation.objects.get(pk=cast.commune.pk)
    assert commune.postal_address == "Hôtel de ville\n1 place de la Mairie\n44000 Saint-Exemple"
    event = AuditEvent.objects.filter(object_id=str(commune.pk)).latest("pk")
    assert "postal_address" in str(event.after)


def test_letters_the_dce_and_avenants_take_the_organisation_s_address(
    cast: Cast, operation: Operation
) -> None:
    client = client_for(cast.mo)
    client.post(identity_url(cast), posted())
    operation.refresh_from_db()
    assert buyer_postal(operation) == {
        "address": "Hôtel de ville, 1 place de la Mairie, 44000 Saint-Exemple",
        "city": "Saint-Exemple",
    }
    page = client.get(reverse("award:dce_settings", args=[operation.pk]))
    assert "1 place de la Mairie" in page.content.decode()  # the DCE starts from it


def test_an_address_without_postcode_and_commune_is_refused_and_kept(cast: Cast) -> None:
    response = client_for(cast.mo).post(
        identity_url(cast), posted(postal_address="1 place de la Mairie")
    )
    assert response.status_code == 400
    assert "code postal (5 chiffres) et la commune" in text(response)
    assert "1 place de la Mairie" in response.content.decode()
    assert Organisation.objects.get(pk=cast.commune.pk).postal_address == ""


def test_a_public_buyer_keeps_a_category(cast: Cast) -> None:
    response = client_for(cast.mo).post(identity_url(cast), posted(buyer=""))
    assert response.status_code == 400
    assert "Choisissez la catégorie d'acheteur" in text(response)
    assert Organisation.objects.get(pk=cast.commune.pk).buyer == "collectivite"


def test_a_reader_reads_but_cannot_change(cast: Cast) -> None:
    client = client_for(cast.reader)
    page = client.get(identity_url(cast))
    assert page.status_code == 200
    assert "seul un membre habilité les modifie" in text(page)
    assert 'name="postal_address"' in page.content.decode()
    assert "disabled" in page.content.decode()
    refused = client.post(identity_url(cast), posted(name="Commune piratée"))
    assert refused.status_code == 403
    assert Organisation.objects.get(pk=cast.commune.pk).name == "Commune de Saint-Exemple"


def test_another_organisation_gets_a_404_on_read_and_write(cast: Cast) -> None:
    for user in (cast.outsider_mo, cast.consultant):
        client = client_for(user)
        assert client.get(identity_url(cast)).status_code == 404
        assert client.post(identity_url(cast), posted(name="Intrus")).status_code == 404
    assert Organisation.objects.get(pk=cast.commune.pk).name == "Commune de Saint-Exemple"


def test_a_firm_has_no_buyer_category_to_set(cast: Cast) -> None:
    url = reverse("organisations:identity", args=[cast.amo_firm.pk])
    page = client_for(cast.consultant).get(url)
    assert page.status_code == 200
    assert 'name="buyer"' not in page.content.decode()


def test_a_missing_siret_is_set_once_and_checked(cast: Cast) -> None:
    url = reverse("organisations:identity", args=[cast.amo_firm.pk])
    client = client_for(cast.consultant)
    wrong = client.post(url, {"name": "Cabinet Conseil", "siret": "12345678901234"})
    assert wrong.status_code == 400 and "12345678901234" in wrong.content.decode()
    taken = Organisation.objects.create(name="Déjà là", kind="amo", siret="21440109300015")
    refused = client.post(url, {"name": "Cabinet Conseil", "siret": taken.siret})
    assert "Une autre organisation porte déjà ce SIRET" in text(refused)
    taken.delete()
    client.post(url, {"name": "Cabinet Conseil", "siret": "214 401 093 00015"})
    assert Organisation.objects.get(pk=cast.amo_firm.pk).siret == "21440109300015"
    assert 'name="siret"' not in client.get(url).content.decode()  # set once
