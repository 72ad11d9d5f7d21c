"""Pages of the IT project steering: parse the form → one service call → redirect or re-render.

One module per page family: ``dashboard`` (and the steering committee report), ``framing``
(framing and baseline), ``changes``, ``follow_up`` (schedule, risks, KPIs) and ``roi``, on
``_common`` (access, breadcrumbs, page rendering).
"""
