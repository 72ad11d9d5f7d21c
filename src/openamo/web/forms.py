"""The project's form building blocks, declared once for every app: django-dsfr rendering,
French numbers and dates as people type them, plausible bounds (``openamo.validation``), the
SIRET check. An invalid form shows back exactly what was typed."""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, TypeAlias, TypedDict, TypeVar, Unpack

from django import forms
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.db.models import Q
from django.forms.renderers import BaseRenderer
from django.forms.utils import ErrorList
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from dsfr.forms import DsfrBaseForm
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength, ValidationError
from stdnum.fr import siret

from openamo.errors import OpenAMOError
from openamo.money import format_cents
from openamo.validation import PLAUSIBLE_MAX_AMOUNT, implausible_date

VERSION_FIELD = "version"
Watched = models.Model | models.QuerySet[models.Model] | Sequence["Watched"] | None
"""What an edit form changes: an object, the rows of a queryset (criteria, marks, phases), or
several of them; their stored state is what the version token stands for."""

Posted = Mapping[str, object]
"""What a bound form reads: ``request.POST`` (a plain dict in tests)."""
Files: TypeAlias = "MultiValueDict[str, UploadedFile[bytes]]"
"""The files a bound form reads: ``request.FILES``."""


class DjangoFormOptions(TypedDict, total=False):
    """The keyword arguments of a Django form besides what was posted and its initial values:
    what a page passes (``prefix``) and what a formset passes to each of its rows."""

    auto_id: bool | str
    prefix: str | None
    error_class: type[ErrorList]
    label_suffix: str | None
    empty_permitted: bool
    use_required_attribute: bool | None
    renderer: BaseRenderer | None


class FormOptions(DjangoFormOptions, total=False):
    """The keyword arguments of an :class:`OpenAMOForm` besides what was posted and its own."""

    initial: Mapping[str, object] | None
    current: Watched


def _stored(watched: Watched) -> list[models.Model]:
    """The watched objects as the database holds them now (re-read, never the cached copy)."""
    if watched is None:
        return []
    if isinstance(watched, models.QuerySet):
        return list(watched.all())
    if isinstance(watched, models.Model):
        fresh = type(watched)._default_manager.filter(pk=watched.pk).first()
        return [fresh] if fresh is not None else []
    return [item for part in watched for item in _stored(part)]


def _state(instance: models.Model) -> tuple[str, str, dict[str, str]]:
    fields = {
        f.attname: f.value_to_string(instance)
        for f in instance._meta.concrete_fields
        if not getattr(f, "auto_now", False)  # a save that changes nothing is no conflict
    }
    return (instance._meta.label, str(instance.pk), fields)


def fingerprint(objects: list[models.Model]) -> str:
    """A digest of the objects' stored values: it changes as soon as anyone saves a change."""
    states = sorted((_state(o) for o in objects), key=lambda state: (state[0], state[1]))
    encoded = json.dumps(states, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()[:32]


def version_of(watched: Watched) -> str:
    """The token an edit page carries: the digest of the stored state, and when it was read
    (to tell, on a conflict, what the journal recorded since)."""
    return f"{fingerprint(_stored(watched))}|{timezone.now().isoformat()}"


class OpenAMOForm(DsfrBaseForm):
    """DSFR form (required fields carry the DSFR marker); render with ``{{ form }}``.

    ``current``: the stored object an edit form changes. Its version travels in a hidden
    field; if someone else saved the object meanwhile, the form is not valid: it says who
    changed what (from the journal) and keeps what was typed, with the new version, so that
    saving again replaces the other edit knowingly (optimistic concurrency, no lost edit)."""

    def __init__(
        self,
        data: Posted | None = None,
        files: Files | None = None,
        *,
        initial: Mapping[str, object] | None = None,
        current: Watched = None,
        **options: Unpack[DjangoFormOptions],
    ) -> None:
        super().__init__(data, files, initial=None if initial is None else dict(initial), **options)
        self.current = current
        if current is not None:
            self.fields[VERSION_FIELD] = forms.CharField(
                required=False, widget=forms.HiddenInput, initial=version_of(current)
            )

    def clean(self) -> dict[str, Any] | None:
        data: dict[str, Any] = super().clean() or {}
        if self.current is None:
            return data
        data.pop(VERSION_FIELD, None)
        key = self.add_prefix(VERSION_FIELD)
        posted = self.data
        typed, _, since = str(posted.get(key, "")).partition("|")
        stored = _stored(self.current)
        # A client that sends no version (a script, an older page) keeps the last-save rule.
        if typed and typed != fingerprint(stored):
            self.add_error(None, conflict_message(stored, since))
            # Shown back with the new version: saving again replaces the other edit knowingly.
            fresh = posted.copy() if isinstance(posted, QueryDict | dict) else dict(posted)
            fresh[key] = version_of(self.current)
            self.__dict__["data"] = fresh
        return data

    def get_context(self) -> dict[str, object]:
        # DsfrBaseForm.get_context only adds a transitional flag and a deprecation warning.
        context: dict[str, object] = forms.Form.get_context(self)
        context.setdefault("DSFR_MARK_OPTIONAL_FIELDS", False)
        return context


class VersionForm(OpenAMOForm):
    """The version alone, for a page whose fields are formsets (sub-criteria, grids): render
    ``{{ guard }}`` inside the page's form, and save only if ``guard.is_valid()``."""


F = TypeVar("F", bound=forms.BaseForm)
Attach = Callable[[F, OpenAMOError], None]
"""How a page shows a domain refusal on its form (``F``, the page's form class): above it
(:func:`message_above`, :func:`text_above`) or next to the fields it names (each app's
``attach_domain_errors``)."""


def message_above(form: forms.BaseForm, exc: OpenAMOError) -> None:
    """The domain's message above the form."""
    form.add_error(None, exc.message)


def text_above(form: forms.BaseForm, exc: OpenAMOError) -> None:
    """The domain's message and each located detail, above the form."""
    form.add_error(None, str(exc))


def saved(
    request: HttpRequest,
    form: F,
    save: Callable[[], object],
    attach: Attach[F] = message_above,
) -> bool:
    """The step every edit page writes: when the form is posted and valid, ``save()`` (the
    service call); a refusal of the domain (:class:`OpenAMOError`) is shown on the form by
    ``attach`` and saves nothing. True when it saved: the page then says so and redirects."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        save()
    except OpenAMOError as exc:
        attach(form, exc)
        return False
    return True


T = TypeVar("T")


def submitted(
    request: HttpRequest,
    form: F,
    save: Callable[[], T],
    attach: Attach[F] = message_above,
) -> T | None:
    """:func:`saved`, for a service that returns what it stored (a row, never ``None``): what
    it returned, or ``None`` when nothing was saved."""
    stored: list[T] = []
    if saved(request, form, lambda: stored.append(save()), attach):
        return stored[0]
    return None


def acted(
    request: HttpRequest,
    act: Callable[[], object],
    done: str,
    tell: Callable[[HttpRequest, str], object] = messages.success,
) -> bool:
    """The step of an action without a form (produce, validate, abandon): ``act()`` and
    ``done`` told (``tell``: a success by default); a refusal of the domain
    (:class:`OpenAMOError`) is told as an error instead. Whether it acted."""
    try:
        act()
    except OpenAMOError as exc:
        messages.error(request, exc.message)
        return False
    tell(request, done)
    return True


_TYPED = str.maketrans("", "", " \u00a0\u202f€%")


class NumberField(forms.DecimalField):
    """A decimal typed the French or English way (« 12,5 », « 12.5 », « 40 % », « 1 800 € »),
    shown back in its shortest form; what was typed is shown back as typed when it is invalid
    (« 12,5 abc » is never converted on re-display)."""

    def to_python(self, value: object) -> Any:  # a Decimal; the stubs inherit IntegerField's
        if isinstance(value, str):
            value = value.translate(_TYPED).replace(",", ".")
        return super().to_python(value)

    def prepare_value(self, value: object) -> object:
        if isinstance(value, Decimal) and value.is_finite():
            return self.display(value)
        return value

    def display(self, value: Decimal) -> str:
        return f"{value.normalize():f}".replace(".", ",")


class AmountField(NumberField):
    """Euros: « 120 000,00 », « 120000.00 » or « 120 000 € », shown « 120 000,00 » (two
    decimals, thousands apart as on every page, never « 120000,00 »)."""

    def display(self, value: Decimal) -> str:
        return format_cents(value)


LARGEST_AMOUNT = PLAUSIBLE_MAX_AMOUNT - Decimal("0.01")
IMPLAUSIBLE_AMOUNT = (
    "Montant invraisemblable : un montant reste sous les cent milliards d'euros, "
    "vérifiez le nombre de chiffres."
)


def _decimal_widget() -> forms.TextInput:
    return forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})


def amount_field(
    label: str,
    *,
    required: bool = True,
    help_text: str = "",
    minimum: Decimal | None = Decimal(0),
) -> AmountField:
    """An amount in euros, non-negative unless ``minimum`` says otherwise (a reduction),
    below :data:`openamo.validation.PLAUSIBLE_MAX_AMOUNT` either way."""
    return AmountField(
        label=label,
        required=required,
        min_value=-LARGEST_AMOUNT if minimum is None else minimum,
        max_value=LARGEST_AMOUNT,
        error_messages={"max_value": IMPLAUSIBLE_AMOUNT}
        | ({"min_value": IMPLAUSIBLE_AMOUNT} if minimum is None else {}),
        max_digits=15,
        decimal_places=2,
        help_text=help_text,
        widget=_decimal_widget(),
    )


def number_field(
    label: str,
    *,
    decimals: int,
    required: bool = False,
    minimum: Decimal | None = Decimal(0),
    maximum: Decimal | None = None,
    help_text: str = "",
    digits: int = 12,
) -> NumberField:
    return NumberField(
        label=label,
        required=required,
        min_value=minimum,
        max_value=maximum,
        max_digits=digits + decimals,
        decimal_places=decimals,
        help_text=help_text,
        widget=_decimal_widget(),
    )


def period_fields(
    max_renewals: int,
) -> tuple[forms.IntegerField, forms.IntegerField, forms.IntegerField]:
    """The initial period and its renewals, as a need and a contract ask them (in months):
    ``duration_months, renewals, renewal_duration_months = period_fields(max_renewals=20)``."""
    return (
        forms.IntegerField(
            label="Durée de la période initiale (mois)", required=False, min_value=1, max_value=600
        ),
        forms.IntegerField(
            label="Nombre de reconductions",
            required=False,
            min_value=0,
            max_value=max_renewals,
            initial=0,
        ),
        forms.IntegerField(
            label="Durée d'une reconduction (mois)",
            required=False,
            min_value=1,
            max_value=600,
            help_text="Par défaut, la durée de la période initiale.",
        ),
    )


def percent_field(label: str, help_text: str = "") -> NumberField:
    return number_field(label, decimals=2, maximum=Decimal(100), help_text=help_text)


DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
DATE_HELP = "Format : JJ/MM/AAAA"


class DateField(forms.DateField):
    """A date typed « 15/03/2026 » (or « 2026-03-15 »), shown « 15/03/2026 », within the plausible window (no 1900,
    no 2100, no 9999-12-31 that overflows the deadlines computed from it); ``not_after_today``
    for what has already happened (a decision, a purchase, a payment)."""

    def __init__(self, *, not_after_today: bool = False, **kwargs: Any) -> None:
        # A text field shown « 15/03/2026 »: a native date field displays the browser's own
        # format (« 03/15/2026 » in an English browser), contradicting the JJ/MM/AAAA hint.
        kwargs.setdefault(
            "widget",
            forms.DateInput(
                attrs={"inputmode": "numeric", "autocomplete": "off"}, format="%d/%m/%Y"
            ),
        )
        kwargs.setdefault("input_formats", DATE_FORMATS)
        super().__init__(**kwargs)
        self.not_after_today = not_after_today

    def validate(self, value: object) -> None:
        super().validate(value)
        if isinstance(value, datetime.date):
            error = implausible_date(
                value, timezone.localdate(), not_after_today=self.not_after_today
            )
            if error:
                raise forms.ValidationError(error, code="implausible")


def date_field(
    label: str,
    *,
    required: bool = True,
    help_text: str = DATE_HELP,
    not_after_today: bool = False,
) -> DateField:
    return DateField(
        label=label,
        required=required,
        help_text=help_text or DATE_HELP,
        not_after_today=not_after_today,
    )


TIME_HELP = "Format : HH:MM"
_TYPED_TIME = re.compile(r"(\d{1,2})\s*[:hH]\s*(\d{2})?")


class TimeField(forms.TimeField):
    """A time typed « 12:00 », « 12h00 » or « 12 h 00 », shown « 12:00 »: a native time field
    displays the browser's own format (« 12:00 PM » in an English browser)."""

    default_error_messages = {
        "invalid": "Heure invalide : saisissez-la au format HH:MM, par exemple 12:00 ou 16h30."
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            forms.TimeInput(attrs={"inputmode": "numeric", "autocomplete": "off"}, format="%H:%M"),
        )
        kwargs.setdefault("input_formats", ["%H:%M", "%H:%M:%S"])
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> datetime.time | None:
        if isinstance(value, str):
            typed = _TYPED_TIME.fullmatch(value.strip())
            if typed:
                value = f"{typed[1]}:{typed[2] or '00'}"
        return super().to_python(value)


def check_siret(value: str) -> str:
    """A SIRET of 14 digits with a valid Luhn key (python-stdnum), or a French error; spaces,
    dots and dashes typed between the digits are allowed."""
    number = siret.compact(value).replace("-", "")
    try:
        return str(siret.validate(number))
    except InvalidLength:
        raise forms.ValidationError(
            f"Un SIRET compte 14 chiffres ; vous en avez saisi {len(number)}."
        ) from None
    except InvalidFormat:
        raise forms.ValidationError("Un SIRET ne contient que des chiffres.") from None
    except InvalidChecksum:
        raise forms.ValidationError(
            "Ce SIRET n'existe pas : sa clé de contrôle est fausse. Vérifiez chaque chiffre "
            "(avis de situation SIRENE ou extrait Kbis du titulaire)."
        ) from None
    except ValidationError:
        raise forms.ValidationError("SIRET invalide : vérifiez la saisie.") from None


def conflict_message(objects: list[models.Model], since: str) -> str:
    """« Marie Dupont a enregistré une autre modification pendant votre saisie : … »."""
    from openamo.web.audit.models import AuditEvent
    from openamo.web.audit.services import model_changes

    try:
        moment: datetime.datetime | None = datetime.datetime.fromisoformat(since)
    except ValueError:
        moment = None
    authors: list[str] = []
    described: list[str] = []
    for instance in objects:
        events = AuditEvent.objects.filter(
            object_type=instance._meta.model_name, object_id=str(instance.pk)
        ).order_by("created_at", "pk")
        if moment is not None:
            events = events.filter(created_at__gt=moment)
        for event in events:
            if event.actor_label not in authors:
                authors.append(event.actor_label)
            described += [
                f"{change.field} : {change.before} → {change.after}"
                for change in model_changes(event, type(instance))
            ]
    if not authors and moment is not None:
        # Saved under another name in the journal (a set of criteria, a questionnaire): the
        # operation's or contract's events since the page was read say who and what.
        nearby = AuditEvent.objects.filter(created_at__gt=moment).filter(
            Q(operation_id__in={getattr(o, "operation_id", None) for o in objects} - {None})
            | Q(contract_id__in={getattr(o, "contract_id", None) for o in objects} - {None})
        )
        for event in nearby.order_by("created_at", "pk"):
            if event.actor_label not in authors:
                authors.append(event.actor_label)
            if event.object_label and event.object_label not in described:
                described.append(event.object_label)
    who = " et ".join(authors) or "Quelqu'un"
    what = " ; ".join(described) or "des changements"
    return (
        f"{who} a enregistré une autre modification pendant votre saisie ({what}). Vos saisies "
        "sont conservées ci-dessous : vérifiez-les, puis enregistrez à nouveau pour remplacer "
        "cette modification."
    )
