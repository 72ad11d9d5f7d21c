"""Cost of drift with and without AMO: the simulation page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_http_methods

from openamo.web.forms import saved
from openamo.web.steering.forms.roi import RoiForm, roi_initial
from openamo.web.steering.models import (
    RoiSimulation,
)
from openamo.web.steering.presenters.errors import attach_domain_errors
from openamo.web.steering.presenters.roi import roi_chart, roi_view
from openamo.web.steering.services import roi as roi_service
from openamo.web.steering.services import state as state_service
from openamo.web.steering.views._common import (
    GET_POST,
    page,
    redirect_to,
    steering_access,
)
from openamo.web.users import AuthenticatedRequest


@login_required
@require_http_methods(GET_POST)
def roi(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = steering_access(request, pk)
    if request.method == "POST":
        access.require_edit()
    state = state_service.load_state(access.operation)
    simulation = roi_service.last_simulation(access.operation)
    initial = roi_initial(
        roi_service.roi_defaults(state),
        simulation.roi_input() if simulation else None,
        simulation.to_domain() if simulation else None,
    )
    form = RoiForm(
        request.POST or None,
        initial=initial,
        current=RoiSimulation.objects.filter(operation=access.operation),
    )
    if saved(
        request,
        form,
        lambda: roi_service.simulate_roi(
            access, request.user, form.roi_input(access.operation.title)
        ),
        attach_domain_errors,
    ):
        messages.success(request, "Simulation enregistrée.")
        return redirect_to("roi", access)
    result = simulation.to_domain() if simulation else None
    return page(
        request,
        "roi.html",
        "Coût de la dérive avec et sans AMO",
        access,
        "roi",
        form=form,
        simulation=simulation,
        result=roi_view(result) if result else None,
        chart=roi_chart(result) if result else None,
    )
