"""``amo travaux``: the construction operation — MOE procedure and fee, organisation, reception, DGD."""

from __future__ import annotations

import typer

from openamo.cli._io import FileArgument, JsonOption, run_command

app = typer.Typer(
    help="Opérations de travaux : maîtrise d'œuvre, organisation, réception, décompte.",
    add_completion=False,
)


@app.callback()
def _group() -> None:
    """Opérations de travaux (CCP livre IV, CCAG-Travaux 2021)."""


@app.command("moe")
def moe(source: str | None = FileArgument, as_json: bool = JsonOption) -> None:
    """Procédure de choix du maître d'œuvre : concours obligatoire ou non, prime, jury."""
    from openamo.construction import choose_moe_procedure_from_dict
    from openamo.construction.text import render_moe

    run_command(source, as_json, choose_moe_procedure_from_dict, render_moe)


@app.command("honoraires")
def honoraires(source: str | None = FileArgument, as_json: bool = JsonOption) -> None:
    """Rémunération provisoire et définitive du maître d'œuvre, seuils de tolérance, réduction."""
    from openamo.construction import moe_fee_from_dict
    from openamo.construction.text import render_fee

    run_command(source, as_json, moe_fee_from_dict, render_fee)


@app.command("organisation")
def organisation(source: str | None = FileArgument, as_json: bool = JsonOption) -> None:
    """Régie, AMO, conduite d'opération ou mandat : ce qui peut être confié et ce qui ne peut pas l'être."""
    from openamo.construction import choose_organisation_from_dict
    from openamo.construction.text import render_organisation

    run_command(source, as_json, choose_organisation_from_dict, render_organisation)


@app.command("reception")
def reception(source: str | None = FileArgument, as_json: bool = JsonOption) -> None:
    """Réception des travaux : opérations préalables, décision, réserves, garanties."""
    from openamo.construction import reception_calendar_from_dict
    from openamo.construction.text import render_reception

    run_command(source, as_json, reception_calendar_from_dict, render_reception)


@app.command("dgd")
def dgd(source: str | None = FileArgument, as_json: bool = JsonOption) -> None:
    """Décompte général et définitif : chaque délai et ce qui arrive s'il est manqué."""
    from openamo.construction import final_account_from_dict
    from openamo.construction.text import render_dgd

    run_command(source, as_json, final_account_from_dict, render_dgd)


@app.command("phases")
def phases(source: str | None = FileArgument, as_json: bool = JsonOption) -> None:
    """Programme, enveloppe et phases du maître d'œuvre : chaque estimation face à l'enveloppe."""
    from openamo.construction import review_phases_from_dict
    from openamo.construction.text import render_phases

    run_command(source, as_json, review_phases_from_dict, render_phases)


@app.command("ordres")
def ordres(source: str | None = FileArgument, as_json: bool = JsonOption) -> None:
    """Ordres de service : délai de réserves du titulaire, effets, ajournements."""
    from openamo.construction import service_orders_from_dict
    from openamo.construction.text import render_orders

    run_command(source, as_json, service_orders_from_dict, render_orders)


@app.command("acomptes")
def acomptes(source: str | None = FileArgument, as_json: bool = JsonOption) -> None:
    """Acomptes mensuels : état d'acompte, révision, retenue de garantie, délai de paiement."""
    from openamo.construction import monthly_statements_from_dict
    from openamo.construction.text import render_statements

    run_command(source, as_json, monthly_statements_from_dict, render_statements)


@app.command("augmentation")
def augmentation(source: str | None = FileArgument, as_json: bool = JsonOption) -> None:
    """Augmentation du montant des travaux : augmentation limite, préavis, ordre d'arrêt."""
    from openamo.construction import works_increase_from_dict
    from openamo.construction.text import render_increase

    run_command(source, as_json, works_increase_from_dict, render_increase)
