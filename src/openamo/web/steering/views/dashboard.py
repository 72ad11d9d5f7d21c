"""The steering dashboard and the steering committee report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse

from openamo.errors import OpenAMOError
from openamo.web import downloads
from openamo.web.steering import exports
from openamo.web.steering.presenters.changes import (
    ALERT_BADGES,
    drift_view,
)
from openamo.web.steering.presenters.framing import (
    framing_summary,
)
from openamo.web.steering.presenters.labels import euros
from openamo.web.steering.presenters.roi import roi_view
from openamo.web.steering.services import report as report_service
from openamo.web.steering.services import roi as roi_service
from openamo.web.steering.services import state as state_service
from openamo.web.steering.views._common import (
    SECTION,
    page,
    redirect_to,
    steering_access,
)
from openamo.web.users import AuthenticatedRequest


@login_required
def dashboard(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = steering_access(request, pk)
    state = state_service.load_state(access.operation)
    report = state.report
    simulation = roi_service.last_simulation(access.operation)
    return page(
        request,
        "dashboard.html",
        SECTION,
        access,
        "dashboard",
        state=state,
        pending=[(c, euros(c.cost_ht)) for c in state.changes if c.is_pending],
        framing=framing_summary(state.framing.to_domain()) if state.framing else None,
        drift=drift_view(report) if report else None,
        overall=report.overall_alert.label if report else None,
        overall_badge=ALERT_BADGES[report.overall_alert] if report else None,
        alerts=report.alerts if report else [],
        explanation=report.explanation.splitlines() if report else [],
        roi=roi_view(simulation.to_domain()) if simulation else None,
    )


@login_required
def report_document(request: AuthenticatedRequest, pk: int, fmt: str) -> HttpResponse:
    access = steering_access(request, pk)
    if refused := downloads.post_only(request):
        return refused
    try:
        name, content = report_service.steering_document(access, request.user, fmt)
    except OpenAMOError as exc:
        messages.error(request, exc.message)
        return redirect_to("dashboard", access)
    return downloads.attachment(content, exports.FORMATS[fmt], name)
