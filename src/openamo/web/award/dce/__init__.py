"""The consultation file (DCE): what it needs beyond the operation's data (buyer details,
clauses, price revision, bills of quantities per lot), as a form, and its mapping to the
domain's ``ConsultationInput`` (``openamo.award.consultation``), which ``openamo.documents``
turns into the RC, AE, CCAP, CCTP and BPU/DQE.

One module per step, imported as such: ``form`` (the settings form and where the domain's
errors are shown on it), ``defaults`` (what the form starts from) and ``mapping`` (the
settings and the operation's data → the domain's input).
"""
