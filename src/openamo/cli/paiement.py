"""``amo paiement``: payment deadline, late-payment interest and recovery indemnity."""

from __future__ import annotations

import typer

from openamo.cli._io import FileArgument, JsonOption, run_command

app = typer.Typer(help="Délais de paiement, intérêts moratoires et indemnité forfaitaire.")


@app.callback()
def _group() -> None:
    """Délais de paiement et intérêts moratoires."""


@app.command("retard")
def retard(source: str | None = FileArgument, as_json: bool = JsonOption) -> None:
    """Échéance, jours de retard, intérêts moratoires (BCE + 8 points) et indemnité de 40 €."""
    from openamo.pricing import late_payment_from_dict
    from openamo.pricing.text import render_payment

    run_command(source, as_json, late_payment_from_dict, render_payment)
