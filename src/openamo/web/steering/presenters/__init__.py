"""Turn rows and domain results into what the DSFR templates display, one module per page
family: ``framing``, ``baseline``, ``changes`` (change requests and drift), ``follow_up``
(schedule, risks, KPIs) and ``roi`` (cost of drift with and without AMO), on the shared
``labels`` (amounts, numbers, percentages, dates, badges) and ``errors`` (the domain's
messages next to the fields).
"""
