"""Template face of :mod:`openamo.wording`: ``{% load wording %}{{ n|count:"jour" }}`` writes
« 1 jour », « 3 jours » (``"lieu|lieux"`` gives an irregular plural). Django's ``pluralize``
would write « 0 jours » where French takes the singular."""

from __future__ import annotations

from django import template

from openamo.wording import count as count_words

register = template.Library()


@register.filter
def count(number: object, words: str) -> str:
    if number is None or number == "":
        return "—"
    singular, _, plural = words.partition("|")
    return count_words(int(str(number)), singular, plural or None)
