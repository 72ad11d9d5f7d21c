"""The passation workflow: load rows, check access, call the domain, save, write the audit trail.

Views call these functions and nothing else that writes, one module per step: ``reading``
(what the pages and documents read), ``criteria``, ``candidacies``, ``offers``, ``ranking`` (the
analysis of a lot and the maître d'ouvrage's decision) and ``documents`` (DCE, report). The
domain (``openamo.award``) decides whether criteria, marks and offers are valid and how offers
rank, from its typed input models; these functions refuse what it refuses
(:class:`openamo.errors.OpenAMOError`, French message, nothing saved) and keep what it answers.
"""
