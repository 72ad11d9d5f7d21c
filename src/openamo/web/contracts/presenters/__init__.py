"""Rows and domain results → what the DSFR templates display (labels, tables, badges, links),
one module per page family: ``contract`` (contracts, renewals, subcontractors), ``prices``
(revisions and indices), ``payments`` (orders and invoices), ``quality`` (service orders,
receptions, penalties, evaluations) and ``history``, on the shared ``labels`` and ``outcomes``
(what the domain answered, or refused).

Tables are data for ``partials/_table.html``: ``{"header": [...], "rows": [[cell, …]]}``, a
cell being ``{"text", "url"?, "badge"?: {"type", "label"}, "hint"?, "links"?}``.
"""
