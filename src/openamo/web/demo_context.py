"""What the demonstration data of each web app builds upon (see ``openamo.web.demo``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User

from openamo.web.operations.models import Operation
from openamo.web.organisations.models import Organisation


@dataclass(frozen=True)
class DemoContext:
    commune: Organisation
    amo_firm: Organisation
    contractor: Organisation
    users: dict[str, User]
    """Demo users by username (``marie.dupont`` is the commune's maître d'ouvrage,
    ``alice.bernard`` the AMO firm's consultant, ``emma.roux`` the contractor's member)."""
    catering: Operation
    """« Renouvellement de la restauration scolaire 2027 »: need, four lots, procedure analysed."""
    software: Operation
    """« Nouveau logiciel de gestion RH »: the IT project, need described."""
