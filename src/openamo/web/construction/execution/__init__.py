"""The works in execution, seen from the construction operation: lots by trade, their contracts
and, per contract, the ordres de service with the holder's reserves.

The orders, receptions, reserves, payments and price revisions are the contracts app's rows
(``openamo.web.contracts``); this package adds what the CCAG-Travaux asks on top of them — the
holder's reserves on an order and the answer — and asks ``openamo.construction`` for the
deadlines. Recording what the holder sent is preparation (``can_edit``: the AMO or the MOE's
paperwork); answering it is the maître d'ouvrage's decision (``can_validate``).

One module per subject: ``lots``, ``orders`` (ordres de service and reserves),
``statements`` (monthly statements, advance, retention), ``reception``, ``penalties``,
``amendments`` and ``subcontracting``.
"""
