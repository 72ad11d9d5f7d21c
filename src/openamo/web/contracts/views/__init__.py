"""Pages of the contracts: parse the form → one service call → redirect or re-render.

One module per page family: ``contract`` (list, contract page, its frame and renewals, history,
evaluations), ``creation`` (from the award or directly), ``subcontractors``, ``prices``,
``payments`` and ``quality``, on ``_common`` (breadcrumbs, form page).
"""
