"""The steering workflow: load rows, check access, call ``openamo.steering``, save, audit.

Views and the demo call these functions and nothing else that writes, one module per step:
``state`` (the steering state of an operation, read and rechecked), ``framing`` (framing and
baseline), ``changes`` (change requests), ``follow_up`` (milestones, risks, KPI measurements),
``roi`` (cost of drift with and without AMO) and ``report`` (steering committee report). A
write the domain refuses raises :class:`openamo.errors.OpenAMOError` (French message) and saves
nothing: the whole dashboard is recomputed with the change *before* it is stored.
"""
