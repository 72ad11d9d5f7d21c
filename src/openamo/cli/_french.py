"""What ``amo`` says about itself — help screens and usage errors — in plain French (issue 16.6).

Typer 0.29 ships its own copy of Click (``typer._click``) whose messages are f-strings, not
gettext catalogues: only Typer's panel titles go through gettext, once, when ``typer.rich_utils``
is imported. A translation catalogue would therefore miss most of the text; the French comes
instead from three places, all here:

* :data:`RICH_STRINGS`: the fixed strings of ``typer.rich_utils`` (panel titles, « [obligatoire] »,
  « [par défaut : …] »), module constants that Typer reads at each rendering;
* :func:`frenchify`: the command tree of a group, before it runs: the usage line (« Utilisation :
  », « COMMANDE [ARGUMENTS]... »), the help option, and every argument and option, which becomes
  its French subclass (:class:`FrenchArgument`, :class:`FrenchOption`) — same object, same
  parsing, only what the help shows differs: « <texte> », « <entier> », « de 1 à 65535 »;
* :func:`invoke`: runs the group outside Click's standalone mode, so that a usage error reaches
  us as an exception, and writes it in French (:func:`error_message`) with the exit code Click
  would have used (2 for a usage error). Values refused by the conversion of an option (pydantic
  behind Typer) are worded by :func:`openamo.validation.french_message`, as the API does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from difflib import get_close_matches
from enum import Enum
from typing import Any

import typer
import typer.main
from pydantic import ValidationError
from typer import _click, rich_utils
from typer.core import TyperArgument, TyperGroup, TyperOption

from openamo.validation import french_message

HELP_TEXT = "Affiche cette aide."
USAGE_PREFIX = "Utilisation : "
SUBCOMMAND_METAVAR = "COMMANDE [ARGUMENTS]..."

RICH_STRINGS = {
    "DEPRECATED_STRING": "(obsolète) ",
    "DEFAULT_STRING": "[par défaut : {}]",
    "ENVVAR_STRING": "[variable d'environnement : {}]",
    "REQUIRED_LONG_STRING": "[obligatoire]",
    "ARGUMENTS_PANEL_TITLE": "Paramètres",
    "OPTIONS_PANEL_TITLE": "Options",
    "COMMANDS_PANEL_TITLE": "Commandes",
    "ERRORS_PANEL_TITLE": "Erreur",
    "ABORTED_TEXT": "Interrompu.",
    "RICH_HELP": "Aide : [blue]{command_path} {help_option}[/]",
}
"""Typer's fixed strings (``typer.rich_utils``), in French."""

HEADINGS = {"Arguments": "Paramètres", "Options": "Options", "Commands": "Commandes"}
"""Section headings of the plain help (without Rich, ``TYPER_USE_RICH=0``)."""

PLAIN_EXTRAS = (
    ("[default: ", "[par défaut : "),
    ("; default: ", "; par défaut : "),
    ("env var: ", "variable d'environnement : "),
    ("required]", "obligatoire]"),
)
"""What the plain help adds after an option's text (``[default: 8000; required]``), in French."""

TYPE_LABELS = {
    "str": "texte",
    "list[str]": "texte",
    "int": "entier",
    "int range": "entier",
    "list[int]": "entier",
    "float": "nombre",
    "float range": "nombre",
    "Decimal": "nombre",
    "path": "chemin",
    "file": "fichier",
    "dir": "dossier",
    "datetime": "date",
    "date": "date",
}
"""What the help shows of a value's type, from Typer's label (``<str>`` → ``<texte>``)."""


def _install_rich_strings() -> None:
    for name, text in RICH_STRINGS.items():
        setattr(rich_utils, name, text)


_install_rich_strings()


class FrenchHelpFormatter(_click.HelpFormatter):
    """« Utilisation : » before the usage line; French headings in the plain help."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, USAGE_PREFIX if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{HEADINGS.get(heading, heading)} :\n")


class FrenchContext(typer.Context):
    formatter_class = FrenchHelpFormatter


def _french_type(label: str | None, *, flag: bool) -> str | None:
    if flag or label is None:
        return None  # a flag takes no value: nothing to show
    inner = label.removeprefix("<").removesuffix(">")
    suffix = "..." if inner.endswith("...") else ""
    inner = inner.removesuffix("...")
    if "|" in inner:  # the choices themselves, typed by the user
        return label
    return f"<{TYPE_LABELS.get(inner, inner)}>{suffix}"


def _french_record(record: tuple[str, str] | None) -> tuple[str, str] | None:
    if record is None:
        return None
    name, text = record
    for english, french in PLAIN_EXTRAS:
        text = text.replace(english, french)
    return name, text


def _french_range(low: float | None, high: float | None) -> str | None:
    if low is None and high is None:
        return None
    if low is None:
        return f"au plus {high}"
    if high is None:
        return f"au moins {low}"
    return f"de {low} à {high}"


class FrenchArgument(TyperArgument):
    """A Typer argument whose help reads in French (set by :func:`frenchify`)."""

    def display_type_rich(self, ctx: _click.Context) -> str | None:
        if self.metavar is not None:  # « FICHIER » says what is expected
            return None
        return _french_type(super().display_type_rich(ctx), flag=False)

    def get_help_record(self, ctx: _click.Context) -> tuple[str, str] | None:
        return _french_record(super().get_help_record(ctx))

    def _get_number_range_help_str(self) -> str | None:
        return _french_range(self.min, self.max)


class FrenchOption(TyperOption):
    """A Typer option whose help reads in French (set by :func:`frenchify`)."""

    def display_type_rich(self, ctx: _click.Context) -> str | None:
        if self.metavar is not None:
            return self.metavar
        flag = self.is_flag and not self.count
        return _french_type(super().display_type_rich(ctx), flag=flag)

    def get_help_record(self, ctx: _click.Context) -> tuple[str, str] | None:
        return _french_record(super().get_help_record(ctx))

    def _get_number_range_help_str(self) -> str | None:
        if self.count and self.min == 0 and self.max is None:
            return None
        return _french_range(self.min, self.max)


def _commands(command: _click.Command) -> Iterator[_click.Command]:
    """``command`` and every command under it, depth first."""
    yield command
    if isinstance(command, TyperGroup):
        for sub in command.commands.values():
            yield from _commands(sub)


def frenchify(root: _click.Command) -> _click.Command:
    """``root`` and every command under it print their help in French; returns ``root``."""
    for command in _commands(root):
        command.context_class = FrenchContext
        if isinstance(command, TyperGroup):  # ``amo serve`` is a group without commands
            command.subcommand_metavar = SUBCOMMAND_METAVAR if command.commands else ""
        ctx = FrenchContext(command)
        help_option = command.get_help_option(ctx)  # created once, then cached by Click
        if help_option is not None:
            help_option.help = HELP_TEXT
        for param in command.get_params(ctx):
            # The French subclasses add no state and parse nothing differently: only the help
            # they show changes, so the object built by Typer simply takes their class.
            if type(param) is TyperOption:
                param.__class__ = FrenchOption
            elif type(param) is TyperArgument:
                param.__class__ = FrenchArgument
    return root


def invoke(app: typer.Typer, args: list[str], prog_name: str) -> int:
    """Run the group ``app`` on ``args``; a usage error is written in French. The exit code."""
    command = frenchify(typer.main.get_command(app))
    try:
        result = command.main(args=args, prog_name=prog_name, standalone_mode=False)
    except _click.exceptions.NoArgsIsHelpError as exc:
        if exc.format_message():  # the plain help (Rich has already printed its own)
            typer.echo(exc.format_message(), err=True)
        return exc.exit_code
    except _click.ClickException as exc:
        _report(exc)
        return exc.exit_code
    except typer.Abort:
        typer.echo(RICH_STRINGS["ABORTED_TEXT"], err=True)
        return 1
    # Outside standalone mode, Click returns the code of a ``typer.Exit`` or the command's
    # return value (None for every ``amo`` command).
    return result if isinstance(result, int) else 0


def _report(exc: _click.ClickException) -> None:
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        typer.echo(ctx.get_usage(), err=True)
    typer.echo(f"Erreur : {error_message(exc)}", err=True)
    if ctx is not None and ctx.command.get_help_option(ctx) is not None:
        typer.echo(f"Aide : {ctx.command_path} {ctx.help_option_names[0]}", err=True)


# Usage errors ------------------------------------------------------------------------------

_NO_SUCH_COMMAND = re.compile(r"^No such command (?P<name>'.*'|\".*\")\.")
_EXTRA_ARGUMENTS = re.compile(r"^Got unexpected extra argument\(s\) \((?P<args>.*)\)$")
_PATH = re.compile(
    r"^(?P<kind>file|dir|path) (?P<where>.*) (?P<what>does not exist|is a file|is a directory|"
    r"is not readable|is not writable)\.$",
    re.IGNORECASE,
)
_PATH_FAULTS = {
    "does not exist": "n'existe pas",
    "is a file": "est un fichier (un dossier est attendu)",
    "is a directory": "est un dossier (un fichier est attendu)",
    "is not readable": "n'est pas lisible",
    "is not writable": "n'est pas modifiable",
}


def _quote(text: str) -> str:
    return f"« {text} »"


def _unquote(text: str) -> str:
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"" else text


def _names(param: Any) -> str:
    """« --out » for an option (all its names), « FICHIER » for an argument."""
    if isinstance(param, TyperOption):
        return " ou ".join(_quote(name) for name in param.opts)
    return _quote(param.display_name_raw)


def _subcommands(ctx: _click.Context | None) -> list[str]:
    command = ctx.command if ctx is not None else None
    return sorted(command.commands) if isinstance(command, TyperGroup) else []


def error_message(exc: _click.ClickException) -> str:
    """The French message of one of Click's (Typer's) errors, without « Erreur : »."""
    ctx: _click.Context | None = getattr(exc, "ctx", None)
    param = getattr(exc, "param", None)
    if isinstance(exc, _click.exceptions.MissingParameter) and param is not None:
        if isinstance(param, TyperOption):
            return f"L'option obligatoire {_names(param)} manque."
        return f"Le paramètre {_names(param)} manque."
    if isinstance(exc, _click.exceptions.NoSuchOption):
        text = f"Option {_quote(exc.option_name)} inconnue."
        if exc.possibilities:
            near = ", ".join(_quote(name) for name in sorted(exc.possibilities))
            text += f" Vouliez-vous dire {near} ?"
        return text
    if isinstance(exc, _click.exceptions.BadOptionUsage):
        if "does not take a value" in exc.message:
            return f"L'option {_quote(exc.option_name)} ne prend pas de valeur."
        return f"L'option {_quote(exc.option_name)} attend une valeur."
    if isinstance(exc, _click.exceptions.BadArgumentUsage):
        return "Nombre de valeurs incorrect pour un paramètre."
    if isinstance(exc, _click.exceptions.BadParameter):
        where = f" pour {_names(param)}" if param is not None else ""
        return f"Valeur invalide{where} : {_value_fault(exc, param)}."
    if isinstance(exc, _click.exceptions.FileError):
        return f"Impossible d'ouvrir le fichier {_quote(exc.ui_filename)}."
    if isinstance(exc, _click.exceptions.UsageError):
        return _usage_fault(exc.message, ctx)
    return exc.format_message()


def _value_fault(exc: _click.exceptions.BadParameter, param: Any) -> str:
    cause = exc.__cause__
    descriptor = getattr(param, "type_descriptor", None)
    if isinstance(cause, ValidationError) and cause.errors():
        error = cause.errors()[0]
        if descriptor is not None and descriptor.is_choice:
            choices = ", ".join(
                str(choice.value if isinstance(choice, Enum) else choice)
                for choice in descriptor.choices or ()
            )
            return f"{_quote(str(error.get('input')))} non reconnue (valeurs possibles : {choices})"
        return french_message(error).rstrip(".")
    path = _PATH.match(exc.message)
    if path:
        return f"{_quote(_unquote(path['where']))} {_PATH_FAULTS[path['what'].lower()]}"
    if exc.message == "Value must be an iterable.":
        return "plusieurs valeurs sont attendues"
    if exc.message.startswith("Value ") and " is not a valid " in exc.message:
        return "valeur non reconnue"
    return exc.message.rstrip(".")  # a message of ours, already in French


def _usage_fault(message: str, ctx: _click.Context | None) -> str:
    available = _subcommands(ctx)
    listed = f" Commandes possibles : {', '.join(available)}." if available else ""
    unknown = _NO_SUCH_COMMAND.match(message)
    if unknown:
        name = _unquote(unknown["name"])
        near = get_close_matches(name, available)
        if near:
            return f"Commande {_quote(name)} inconnue. Vouliez-vous dire {_quote(near[0])} ?"
        return f"Commande {_quote(name)} inconnue.{listed}"
    if message == "Missing command.":
        return f"Commande manquante.{listed}"
    extra = _EXTRA_ARGUMENTS.match(message)
    if extra:
        return f"Paramètres en trop : {_quote(extra['args'])}."
    return message
