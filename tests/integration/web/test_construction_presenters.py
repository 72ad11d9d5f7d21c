"""What the construction pages show from the domain's results, typed (no rule here)."""

from __future__ import annotations

import datetime

from openamo.construction.models import Step
from openamo.errors import OpenAMOError
from openamo.web.construction import presenters


def _refuse() -> int:
    raise OpenAMOError("Le domaine refuse ce calcul.")


def test_a_result_the_domain_refuses_is_shown_as_its_french_sentence() -> None:
    assert presenters.safe(lambda: 3) == 3
    refused = presenters.safe(_refuse)
    assert refused == presenters.Refused("Le domaine refuse ce calcul.")


def test_each_step_carries_its_french_status_and_whether_it_is_late() -> None:
    step = Step(
        key="dgd", label="Notifier le décompte général", by="maître d'ouvrage",
        due_on=datetime.date(2027, 9, 1), done_on=None, status="en_retard",
        consequence="Intérêts moratoires", reference="CCAG-Travaux 2021, art. 12.4.2",
    )  # fmt: skip
    done = step.model_copy(update={"status": "respecte", "done_on": datetime.date(2027, 8, 1)})
    lines = presenters.steps([step, done])
    assert [(line.status, line.badge, line.late) for line in lines] == [
        ("en retard", "error", True),
        ("fait dans le délai", "success", False),
    ]
    assert lines[0].step is step
