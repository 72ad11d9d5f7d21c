"""Turn stored rows and the domain's answers into what the DSFR templates show, one module per
page family: ``criteria`` (criteria with their methods explained, the DCE's and the criteria's
checks), ``offers`` (candidacies and offers tables), ``overview`` (the lots) and ``analysis``
(the comparison and its chart), on the shared ``labels`` (amounts, points, check levels).
"""
