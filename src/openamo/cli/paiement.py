"""``amo paiement``: payment deadline, late-payment interest and recovery indemnity."""

from __future__ import annotations

import typer

from openamo.cli._io import FileArgument, JsonOption, run_command

app = typer.Typer(
    help="Délais de paiement, intérêts moratoires, avance, retenue de garantie et sous-traitance.",
    add_completion=False,
)


@app.callback()
def _group() -> None:
    """Délais de paiement et intérêts moratoires."""


@app.command("retard")
def retard(source: str | None = FileArgument, as_json: bool = JsonOption) -> None:
    """Échéance, jours de retard, intérêts moratoires (BCE + 8 points) et indemnité de 40 €."""
    from openamo.pricing import late_payment_from_dict
    from openamo.pricing.text import render_payment

    run_command(source, as_json, late_payment_from_dict, render_payment)


@app.command("avance")
def avance(source: str | None = FileArgument, as_json: bool = JsonOption) -> None:
    """Avance : due ou non, taux minimal (PME, grands acheteurs), assiette, remboursement."""
    from openamo.pricing.advance import advance_from_dict
    from openamo.pricing.text import render_advance

    run_command(source, as_json, advance_from_dict, render_advance)


@app.command("retenue")
def retenue(source: str | None = FileArgument, as_json: bool = JsonOption) -> None:
    """Retenue de garantie : plafond, garanties qui la remplacent, date de remboursement."""
    from openamo.pricing.advance import retention_from_dict
    from openamo.pricing.text import render_retention

    run_command(source, as_json, retention_from_dict, render_retention)


@app.command("sous-traitance")
def sous_traitance(source: str | None = FileArgument, as_json: bool = JsonOption) -> None:
    """Sous-traitance : paiement direct (600 € TTC), acceptation tacite, délai du titulaire."""
    from openamo.pricing.subcontracting import subcontracting_from_dict
    from openamo.pricing.text import render_subcontracting

    run_command(source, as_json, subcontracting_from_dict, render_subcontracting)
