"""E-mail delivery of queued notifications through the SMTP server named by KAKEHASHI_SMTP_URL.

smtp://host:25, smtp+starttls://host:587 or smtps://host:465, with user in the URL and the password in
KAKEHASHI_SMTP_PASSWORD(_FILE). Without SMTP configured, notifications are in-app only.
"""

from __future__ import annotations

import datetime as dt
import smtplib
from email.message import EmailMessage
from urllib.parse import urlparse

from sqlalchemy.orm import Session

from kakehashi import identity
from kakehashi.kernel import notifications
from kakehashi.settings import Settings


def send_pending(session: Session, settings: Settings, now: dt.datetime) -> int:
    """Send each queued notification to its recipient once; returns how many were handled."""
    pending = notifications.pending_mail(session)
    if not pending:
        return 0
    if not settings.smtp_url:
        for note in pending:
            note.emailed = True
        return len(pending)
    url = urlparse(settings.smtp_url)
    client: smtplib.SMTP
    if url.scheme == "smtps":
        client = smtplib.SMTP_SSL(url.hostname or "localhost", url.port or 465, timeout=30)
    else:
        client = smtplib.SMTP(url.hostname or "localhost", url.port or 25, timeout=30)
        if url.scheme == "smtp+starttls":
            client.starttls()
    with client:
        if url.username:
            client.login(url.username, settings.smtp_password)
        for note in pending:
            user = identity.get_user(session, note.user_id)
            message = EmailMessage()
            message["From"], message["To"] = settings.mail_from, user.email
            message["Subject"] = note.title % note.params if note.params else note.title
            body = note.body % note.params if note.params and note.body else note.body
            message.set_content(f"{body}\n\n{settings.base_url}{note.link or '/'}")
            client.send_message(message)
            note.emailed = True
    return len(pending)
