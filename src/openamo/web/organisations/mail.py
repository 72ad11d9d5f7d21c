"""E-mails to people (invitations, sign-up, join requests, password reset) through Django's mail
framework: files in the data directory in development and demo, SMTP in production."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Mapping

from django.conf import settings
from django.core.mail import send_mail
from django.http import HttpRequest
from django.template.loader import render_to_string

logger = logging.getLogger("openamo.mail")


def absolute_url(path: str, request: HttpRequest | None = None) -> str:
    """A link for an e-mail: from the request's host on the web, ``OPENAMO_BASE_URL`` (or the
    local server) from the command line."""
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.OPENAMO_BASE_URL.rstrip("/") + path


def send(to: str, subject: str, template: str, context: Mapping[str, object]) -> None:
    """Send ``organisations/mail/<template>.txt``; callers send last, once their rows are
    written. A delivery failure is logged, never shown as a server error: the action itself
    succeeded and the sender can send it again."""
    body = render_to_string(f"organisations/mail/{template}.txt", context)
    try:
        send_mail(f"OpenAMO — {subject}", body, None, [to])
    except (OSError, smtplib.SMTPException):
        logger.exception("Courriel « %s » non envoyé", subject)
