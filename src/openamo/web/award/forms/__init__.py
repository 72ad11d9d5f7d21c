"""Forms of the passation pages, one module per step: they parse what people type (numbers with a
decimal comma, lists typed one per line) — ``criteria``, ``candidacies``, ``offers``, ``marks`` and
``analysis``, on the shared ``fields``; whether a criterion, a mark or an offer is lawful is the
domain's answer, attached next to the field by :func:`openamo.web.award.forms.errors.attach_error`.
"""
