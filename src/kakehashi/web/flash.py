"""Flash messages after a redirect: `?flash=<key>` names one of a fixed set of messages.

The query string only selects a message; it never supplies text. An unknown key shows nothing, so a link
cannot put words (or markup) on a Kakehashi page.
"""

from __future__ import annotations

from kakehashi.kernel.i18n import N_

FLASHES: dict[str, str] = {
    "access_granted": N_("Access granted"),
    "account_created": N_("Account created"),
    "accreditation_recorded": N_("Accreditation recorded"),
    "action_assigned": N_("Action assigned"),
    "attendance_recorded": N_("Attendance recorded"),
    "awaiting_your_signature": N_("Awaiting your signature"),
    "body_registered": N_("Body registered"),
    "bundle_shared": N_("Bundle shared"),
    "certificates_issued": N_("Certificates issued"),
    "changes_saved": N_("Changes saved"),
    "checked_in": N_("Checked in"),
    "collection_opened": N_("Collection opened"),
    "consent_granted": N_("Consent granted"),
    "consent_refused": N_("Consent refused"),
    "consent_requested": N_("Consent requested"),
    "consent_revoked": N_("Consent revoked"),
    "consultation_scheduled": N_("Consultation scheduled"),
    "cost_recorded": N_("Cost recorded"),
    "decision_recorded": N_("Decision recorded"),
    "event_created": N_("Event created"),
    "instrument_drafted": N_("Instrument drafted"),
    "key_registered": N_("Key registered"),
    "key_revoked": N_("Key revoked"),
    "meeting_cancelled": N_("Meeting cancelled"),
    "minutes_saved": N_("Minutes saved"),
    "new_calendar_link_issued": N_("New calendar link issued"),
    "notifications_read": N_("Notifications marked as read"),
    "organisation_registered": N_("Organisation registered"),
    "organisation_verified": N_("Organisation verified"),
    "permitted": N_("Permitted"),
    "phase_changed": N_("Phase changed"),
    "purpose_added": N_("Purpose added"),
    "registered": N_("Registration recorded"),
    "registration_cancelled": N_("Registration cancelled"),
    "request_sent": N_("Request sent"),
    "request_withdrawn": N_("Request withdrawn"),
    "saved": N_("Saved"),
    "schedule_imported": N_("Schedule imported"),
    "schedule_stored": N_("Schedule stored"),
    "sent_for_approval": N_("Sent for approval"),
    "sent_for_concurrence": N_("Sent for concurrence"),
    "shared": N_("Shared"),
    "sighting_reported": N_("Sighting reported"),
    "signature_recorded": N_("Signature recorded"),
    "signed": N_("Signed"),
    "signed_out": N_("Signed out"),
    "some_objects_differed": N_("Some objects were already stored differently"),
    "status_changed": N_("Status changed"),
    "thanks_for_feedback": N_("Thank you for your feedback"),
    "update_recorded": N_("Update recorded"),
    "verification_withdrawn": N_("Verification withdrawn"),
    "withdrawn": N_("Withdrawn"),
    "you_left_the_event": N_("You left the event"),
}


def message(key: str | None) -> str:
    """The (untranslated) message a flash key names, or "" for no key or an unknown one."""
    return FLASHES.get(key or "", "")


def url(target: str, key: str) -> str:
    """`target` with `?flash=key` (before any #fragment); `key` must be registered."""
    if key not in FLASHES:
        raise KeyError(f"unknown flash key {key!r}: add it to kakehashi.web.flash.FLASHES")
    path, hash_, fragment = target.partition("#")
    separator = "&" if "?" in path else "?"
    return f"{path}{separator}flash={key}{hash_}{fragment}"
