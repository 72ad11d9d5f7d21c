"""``amo``: a thin dispatcher that imports a command group only when it is used.

``amo --version`` and ``amo --help`` import nothing heavy, so the CLI starts fast;
each group is a Typer app in its own module (``openamo.cli.<module>``), run by
:func:`openamo.cli._french.invoke` so that its help and its usage errors read in French.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys

from openamo import __version__

GROUPS: dict[str, tuple[str, str]] = {
    "procedure": ("procedure", "Valeur estimée, choix de la procédure, publicité et délais"),
    "law": ("law", "Paramètres juridiques en vigueur à une date"),
    "avenant": ("avenant", "Contrôle et rédaction des avenants (R2194-1 … R2194-10)"),
    "offres": ("offres", "Notation et classement des offres, rapport d'analyse"),
    "attribution": ("attribution", "Après l'attribution : suspension, signature, avis, recours"),
    "dce": ("dce", "Génération du dossier de consultation des entreprises"),
    "prix": ("prix", "Actualisation et révision des prix"),
    "paiement": ("paiement", "Paiement : délais, intérêts, avance, retenue, sous-traitance"),
    "egalim": ("egalim", "Ratios EGAlim de la restauration collective"),
    "projet": ("projet", "Pilotage des projets informatiques : cadrage, dérive, ROI de l'AMO"),
    "travaux": ("travaux", "Opérations de travaux : maîtrise d'œuvre, réception, décompte"),
    "decp": ("decp", "Données essentielles de la commande publique"),
    "ocds": ("ocds", "Export Open Contracting Data Standard"),
    "admin": ("admin", "Administration : organisations, invitations, comptes de la plateforme"),
    "serve": ("serve", "Démarre l'application web avec des données de démonstration"),
}


def _available() -> dict[str, tuple[str, str]]:
    return {
        name: spec
        for name, spec in GROUPS.items()
        if importlib.util.find_spec(f"openamo.cli.{spec[0]}") is not None
    }


def _print_help() -> None:
    print(f"Utilisation : amo <groupe> <commande> [FICHIER|-] [--json]\n\nOpenAMO {__version__}\n")
    print("Groupes :")
    for name, (_, summary) in _available().items():
        print(f"  {name:<10} {summary}")
    print("\nAide d'un groupe : amo <groupe> --help")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in {"-h", "--help"}:
        _print_help()
        return 0
    if args[0] in {"--version", "-V"}:
        print(f"amo (OpenAMO) {__version__}")
        return 0
    spec = _available().get(args[0])
    if spec is None:
        print(f"Groupe de commandes inconnu : « {args[0]} ». Voir « amo --help ».", file=sys.stderr)
        return 2
    module = importlib.import_module(f"openamo.cli.{spec[0]}")
    from openamo.cli._french import invoke

    try:
        return invoke(module.app, args[1:], prog_name=f"amo {args[0]}")
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)


def run() -> None:
    sys.exit(main())
