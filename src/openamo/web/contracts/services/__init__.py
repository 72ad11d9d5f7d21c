"""The contract itself: creation (from the award or directly), its frame, its renewals and its
sub-contractors. Load rows, check access, save, write the audit trail; nothing else writes.

One module per family of pages, imported as such: ``journal`` (every write of the app in the
journal of the contract and of its operation), ``contract`` (creation, frame, holder,
deletion), ``renewals`` and ``subcontractors``. The price, payment and quality workflows are in
``prices``, ``payments`` and ``quality``.
"""
