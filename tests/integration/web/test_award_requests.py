"""The typed border of the DCE: the form gives a DceRequest, its JSON comes back typed, the
lines typed one per line build the domain's models, and what the domain refuses in a line is
shown in French next to the field where the line was typed."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from openamo.award import AbnormalOutcome, CriterionKind, OfferStatus
from openamo.award.consultation import BpuItem, ContractForm, IndexTerm, Penalty, PriceForm
from openamo.award.models import CriterionInput
from openamo.errors import OpenAMOError
from openamo.procurement.enums import SocialConditionException
from openamo.web.award import lines, marking
from openamo.web.award.access import GLOBAL, scopes_of
from openamo.web.award.dce import form as dce_form
from openamo.web.award.forms.candidacies import CandidacyForm, candidacy_initial
from openamo.web.award.forms.marks import MarksForm
from openamo.web.award.forms.offers import DqeField, OfferForm, offer_initial
from openamo.web.award.models import Candidacy, DceSettings, Offer
from openamo.web.award.requests import (
    CandidacyEntry,
    CriterionRequest,
    DceLotRequest,
    DceRequest,
    GridRow,
    OfferEntry,
    SubCriterionRow,
    suggested_grid,
)
from openamo.web.award.services import criteria as criteria_service
from openamo.web.award.services import documents as document_service
from openamo.web.award.services import offers as offer_service
from openamo.web.operations.access import operation_access
from openamo.web.operations.models import Lot, Operation
from tests.integration.web._award import CRITERIA, scope, typed
from tests.integration.web.conftest import Cast, client_for, fresh, text

TYPED = DceRequest(
    reference="2027-RS-01",
    cpv="15000000-8",
    contract_form=ContractForm.ACCORD_CADRE_BONS_DE_COMMANDE,
    response_time=datetime.time(16, 30),
    validity_days=90,
    winners=2,
    site_visit=True,
    price_form=PriceForm.REVISABLE,
    revision_fixed_part=Decimal("0.150"),
    revision_terms="0,85 ; Indice des prix des produits alimentaires ; 001763852",
    revision_base_month="2027-01",
    revision_periodicity="annuelle",
    social_condition_exception=SocialConditionException.ABSENCE_DE_LIEN_AVEC_OBJET,
    egalim_quality_percent=Decimal(50),
    lots={
        7: DceLotRequest(
            catering=True,
            items="Pommes ; kg ; 3500 ; 2,60",
            requirements="Catégorie I\nLivraison avant 8 h",
        ),
        9: DceLotRequest(max_amount_ht=Decimal("1500.50")),
    },
)


def error_after(page: str, field_id: str) -> str:
    start = page.index(f'id="{field_id}"')
    return page[start : start + 1500]


def base_post(lot: Lot, **changes: str) -> dict[str, str]:
    return {
        "reference": "2026-RS-01",
        "contract_form": "ordinaire",
        "response_time": "12:00",
        "validity_days": "120",
        "winners": "1",
        "price_form": "ferme",
        f"catering_{lot.pk}": "on",
        f"items_{lot.pk}": "Pommes bio ; kg ; 3500 ; 2,60",
        **changes,
    }


def test_the_dce_settings_come_back_from_their_json_as_typed() -> None:
    stored = TYPED.to_stored()
    assert stored["response_time"] == "16:30"
    assert stored["revision_fixed_part"] == "0.15"
    assert stored["contract_form"] == "accord_cadre_bons_de_commande"
    assert stored["procedure_type"] == ""
    assert stored["social_condition_exception"] == "absence_de_lien_avec_objet"
    assert stored["items_7"] == "Pommes ; kg ; 3500 ; 2,60" and stored["max_9"] == "1500.5"
    assert stored["max_7"] is None and stored["catering_9"] is False
    assert stored["requirements_7"] == "Catégorie I\nLivraison avant 8 h"
    assert DceRequest.from_stored(stored) == TYPED


def test_settings_kept_by_an_earlier_version_take_their_defaults() -> None:
    typed = DceRequest.from_stored(
        {"buyer_address": "1 place de la Mairie", "validity_days": "", "max_12": "8000"}
    )
    assert typed.buyer_address == "1 place de la Mairie"
    assert typed.validity_days == 120 and typed.winners == 1
    assert typed.price_form is PriceForm.FERME and typed.procedure_type is None
    assert typed.response_time == datetime.time(12, 0)
    assert typed.lot(12) == DceLotRequest(max_amount_ht=Decimal(8000))
    assert typed.lot(GLOBAL) == DceLotRequest()


def test_the_lines_typed_build_the_domain_models() -> None:
    [item] = lines.bpu_items("Yaourt nature ; pièce ; 52 000 ; 0,32")
    assert item.to_domain() == BpuItem(
        designation="Yaourt nature",
        unit="pièce",
        quantity=Decimal(52000),
        estimated_unit_price_ht=Decimal("0.32"),
    )
    [term] = lines.revision_terms("0,6 ; ICHT-E")
    assert term.to_domain() == IndexTerm(weight=Decimal("0.6"), index_name="ICHT-E")
    [penalty] = lines.penalties("Retard ; 50 ; ; 10")
    assert penalty.to_domain() == Penalty(
        event="Retard", amount_ht=Decimal(50), per="par manquement", cap_percent=Decimal(10)
    )


def test_the_form_gives_the_request_the_page_keeps(
    cast: Cast, award: Operation, first_lot: Lot
) -> None:
    url = reverse("award:dce_settings", args=[award.pk])
    post = base_post(first_lot, advance_percent="5,5", procedure_type="mapa")
    client_for(cast.consultant).post(url, post)
    typed = DceSettings.objects.get(operation=award).request()
    assert typed.reference == "2026-RS-01" and typed.advance_percent == Decimal("5.5")
    assert typed.procedure_type is not None and typed.procedure_type.value == "mapa"
    assert typed.lot(first_lot.pk) == DceLotRequest(
        catering=True, items="Pommes bio ; kg ; 3500 ; 2,60"
    )
    page = text(client_for(cast.consultant).get(url))
    assert 'name="advance_percent" value="5.5"' in page


def test_the_domain_refusal_of_a_line_is_located_as_on_the_whole_json(
    cast: Cast, award: Operation, first_lot: Lot
) -> None:
    access = operation_access(fresh(cast.consultant), award.pk)
    typed = DceRequest(
        penalties="Retard ; 50 ; par jour ; 150",
        lots={first_lot.pk: DceLotRequest(items="Pommes ; kg ; 10\nYaourts ; pièce ; 2000000000")},
    )
    with pytest.raises(OpenAMOError) as raised:
        document_service.dce_input(access, typed)
    located = {detail.location: detail.message for detail in raised.value.details}
    assert located == {
        "lots[0].items[1].quantity": "valeur trop grande (maximum 1000000000)",
        "penalties[0].cap_percent": "valeur trop grande (maximum 100)",
    }
    scopes = scopes_of(access)
    assert dce_form.field_for("lots[0].items[1].quantity", scopes) == f"items_{first_lot.pk}"
    assert dce_form.field_for("penalties[0].cap_percent", scopes) == "penalties"


def test_an_invalid_line_shows_the_french_error_next_to_its_field(
    cast: Cast, award: Operation, first_lot: Lot
) -> None:
    url = reverse("award:dce_settings", args=[award.pk])
    post = base_post(
        first_lot,
        penalties="Retard ; 50 ; par jour ; 150",
        **{f"items_{first_lot.pk}": "Pommes ; kg ; 10\nYaourts ; pièce ; 2000000000"},
    )
    page = text(client_for(cast.consultant).post(url, post))
    assert "Paramètres enregistrés, mais le DCE ne peut pas être produit" in page
    assert "valeur trop grande (maximum 1000000000)" in error_after(
        page, f"id_items_{first_lot.pk}"
    )
    assert "valeur trop grande (maximum 100)" in error_after(page, "id_penalties")


def test_a_refused_revision_formula_is_shown_next_to_its_indices(
    cast: Cast, award: Operation, first_lot: Lot
) -> None:
    url = reverse("award:dce_settings", args=[award.pk])
    post = base_post(
        first_lot,
        price_form="revisable",
        revision_fixed_part="0,15",
        revision_terms="0,5 ; Indice des prix des produits alimentaires",
        revision_base_month="2027-01",
        revision_periodicity="annuelle",
    )
    page = text(client_for(cast.consultant).post(url, post))
    assert "partie fixe + poids des indices doit valoir 1 (reçu 0.65)" in error_after(
        page, "id_revision_terms"
    )


def test_the_criteria_typed_give_the_domain_criteria_they_come_from() -> None:
    expected = [CriterionInput.model_validate(criterion) for criterion in CRITERIA]
    assert criteria_service.validate_criteria(typed(CRITERIA)) == expected
    marks = [
        level.to_domain().model_dump(mode="json")["mark"] for level in suggested_grid(Decimal(20))
    ]
    assert marks == ["0", "5", "10", "15", "20"]


def test_a_refused_sub_criterion_or_grid_level_is_located_on_its_row() -> None:
    row = CriterionRequest(
        name="Valeur technique",
        kind=CriterionKind.TECHNIQUE,
        weight=Decimal(60),
        sub_criteria=(SubCriterionRow("Qualité", Decimal(0)), SubCriterionRow("Délais", None)),
        grid=(GridRow(Decimal(0), "Absent"), GridRow(Decimal(20), "")),
    )
    price = CriterionRequest(name="Prix", kind=CriterionKind.PRIX, weight=Decimal(40))
    with pytest.raises(OpenAMOError) as raised:
        criteria_service.validate_criteria([price, row])
    assert raised.value.message == "Les critères ne sont pas enregistrés."
    assert {detail.location for detail in raised.value.details} == {
        "criteres[1].sub_criteria[0].weight",
        "criteres[1].sub_criteria[1].weight",
        "criteres[1].grid[1].label",
    }


def test_a_refused_sub_criterion_weight_is_shown_next_to_it(cast: Cast, award: Operation) -> None:
    url = reverse("award:criterion_edit", args=[award.pk, 1])
    client = client_for(cast.consultant)
    data = {
        "sous-TOTAL_FORMS": "2",
        "sous-INITIAL_FORMS": "0",
        "sous-0-name": "Qualité",
        "sous-0-weight": "0",
        "sous-1-name": "Livraisons",
        "sous-1-weight": "40",
        "grille-TOTAL_FORMS": "0",
        "grille-INITIAL_FORMS": "0",
    }
    page = text(client.post(url, data))
    assert "valeur trop petite (strictement supérieur à 0)" in error_after(page, "id_sous-0-weight")


def test_the_candidacy_form_gives_its_tri_states_typed_and_shows_them_back() -> None:
    form = CandidacyForm(
        {
            "bidder": "Distri",
            "siret": "",
            "application_form": "on",
            "powers_of_signatory": "oui",
            "economic_capacity": "non",
            "technical_capacity": "",
            "capacities_sufficient": "on",
        }
    )
    assert form.is_valid(), form.errors
    entry = form.request()
    assert entry == CandidacyEntry(
        bidder="Distri",
        application_form=True,
        powers_of_signatory=True,
        economic_capacity=False,
        technical_capacity=None,
    )
    candidacy = Candidacy()
    entry.apply_to(candidacy)
    assert CandidacyEntry.of(candidacy) == entry
    initial = candidacy_initial(entry)
    assert (initial["powers_of_signatory"], initial["economic_capacity"]) == ("oui", "non")
    assert initial["technical_capacity"] == "" and initial["bidder"] == "Distri"


def test_an_offer_typed_is_kept_with_its_dqe_as_the_domain_reads_it(
    cast: Cast, award: Operation, first_lot: Lot
) -> None:
    form = OfferForm(
        {
            "bidder": "Bio Val",
            "price_ht": "9 196,00",
            "dqe": "Pommes ; 3 500 ; 2,6\nYaourts ; 1000 ; 0,09",
            "status": "reguliere",
            "abnormally_low_requested_on": "02/11/2026",
            "abnormally_low_answered_on": "05/11/2026",
            "abnormally_low_outcome": "justifiee",
        }
    )
    assert form.is_valid(), form.errors
    entry = form.request()
    assert entry.dqe[0] == lines.DqeRow("Pommes", Decimal(3500), Decimal("2.60"))
    assert entry.status is OfferStatus.REGULIERE
    assert entry.abnormally_low_outcome is AbnormalOutcome.JUSTIFIEE
    where = scope(cast.consultant, award, first_lot)
    offer = offer_service.add_offer(where, fresh(cast.consultant), entry)
    stored = Offer.objects.get(pk=offer.pk)
    assert stored.dqe[0] == {"designation": "Pommes", "quantity": "3500", "unit_price_ht": "2.60"}
    assert stored.abnormally_low_outcome == "justifiee"
    assert OfferEntry.of(stored) == entry
    assert [line.unit_price_ht for line in stored.to_domain().dqe or []] == [
        Decimal("2.60"),
        Decimal("0.09"),
    ]
    initial = offer_initial(OfferEntry.of(stored))
    assert initial["status"] == "reguliere"
    shown = OfferForm(initial=initial)["dqe"].value()
    assert DqeField().prepare_value(shown) == "Pommes ; 3500 ; 2,60\nYaourts ; 1000 ; 0,09"


def test_the_marks_form_gives_each_slot_its_mark_typed() -> None:
    criteria = criteria_service.validate_criteria(typed(CRITERIA))
    slots = marking.slots(criteria)
    graded = slots[0]
    assert [level.mark_label for level in graded.grid] == ["0", "10", "15", "20"]
    posted = {f"note_{graded.key}": graded.grid[2].value, f"justification_{graded.key}": "  Vu. "}
    form = MarksForm(posted, slots=slots)
    assert form.is_valid(), form.errors
    entries = form.request()
    assert [entry.slot for entry in entries] == slots
    assert entries[0].mark == Decimal(15) and entries[0].justification == "Vu."
    assert entries[-1].mark is None and entries[-1].justification == ""
