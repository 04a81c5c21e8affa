"""Certificates of attendance as PDF (English and Japanese), each carrying the code anyone can verify online."""

from __future__ import annotations

import datetime as dt

import jinja2

from kakehashi.governance.training.models import Certificate
from kakehashi.kernel.clock import JST


def render_html(certificate: Certificate, *, verify_url: str) -> str:
    """The certificate as an HTML page laid out for A4 landscape."""
    env = jinja2.Environment(loader=jinja2.PackageLoader("kakehashi.governance", "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    held: dt.date = certificate.held_on.astimezone(JST).date()
    return env.get_template("governance/certificate_pdf.html").render(
        certificate=certificate, held=held, issued=certificate.issued_at.astimezone(JST).date(), verify_url=verify_url)


def render_pdf(certificate: Certificate, *, verify_url: str) -> bytes:
    """The certificate as PDF bytes."""
    from weasyprint import HTML  # imported late: only certificate and report downloads need Pango

    pdf: bytes = HTML(string=render_html(certificate, verify_url=verify_url)).write_pdf()
    return pdf
