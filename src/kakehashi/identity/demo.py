"""Demo accounts: one login per role on each side, tied to the registry's demo anchor organisations."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from kakehashi import registry
from kakehashi.identity import demo_people, services
from kakehashi.kernel.authz import Ministry, Role, Side
from kakehashi.kernel.demo import DEMO_PASSWORD, DemoOptions


@dataclass(frozen=True)
class DemoLogin:
    """A demo account: its role, e-mail, who it stands for, and where it belongs."""

    role: str
    email: str
    description: str
    name: str
    side: Side | None = None
    ministry: Ministry | None = None
    org_name: str | None = None


DEMO_LOGINS = (
    DemoLogin("platform_admin", "admin@demo.kakehashi.example", "Platform administrator", "Platform Admin"),
    DemoLogin("nodal_officer", "officer@meti.demo.example", "METI nodal officer (JP)", "Sato Haruka",
              Side.JP, Ministry.METI),
    DemoLogin("nodal_officer", "officer@meity.demo.example", "MeitY nodal officer (IN)", "Ananya Iyer",
              Side.IN, Ministry.MEITY),
    DemoLogin("ministry_liaison", "liaison@mic.demo.example", "MIC liaison (JP)", "Takahashi Ken",
              Side.JP, Ministry.MIC),
    DemoLogin("ministry_liaison", "liaison@dot.demo.example", "DoT liaison (IN)", "Rohan Mehta",
              Side.IN, Ministry.DOT),
    DemoLogin("org_admin", "admin@sakura-devices.demo.example", "Administrator of a Japanese firm",
              "Yamamoto Aoi", org_name="Sakura Devices KK"),
    DemoLogin("org_member", "member@sakura-devices.demo.example", "Member of a Japanese firm", "Kobayashi Ren",
              org_name="Sakura Devices KK"),
    DemoLogin("org_admin", "admin@indus-software.demo.example", "Administrator of an Indian firm",
              "Priya Sharma", org_name="Indus Software Labs Pvt Ltd"),
    DemoLogin("org_member", "member@indus-software.demo.example", "Member of an Indian firm", "Arjun Nair",
              org_name="Indus Software Labs Pvt Ltd"),
    DemoLogin("programme_manager", "pm@meity.demo.example", "Programme manager (IN)", "Kavita Rao", Side.IN),
    DemoLogin("reviewer", "reviewer@iisc.demo.example", "Proposal reviewer", "Dr. Vikram Bose",
              org_name="Indian Institute of Science"),
    DemoLogin("cert_analyst", "analyst@jpcert.demo.example", "JPCERT/CC analyst (JP)", "Nakamura Yui", Side.JP,
              org_name="JPCERT/CC"),
    DemoLogin("cert_analyst", "analyst@cert-in.demo.example", "CERT-In analyst (IN)", "Sanjay Gupta", Side.IN,
              org_name="CERT-In"),
)


def load(session: Session, options: DemoOptions) -> None:
    """Create the demo logins and staff profiles that do not exist yet (idempotent)."""
    _load_logins(session, options)
    demo_people.load(session, options)


def _load_logins(session: Session, options: DemoOptions) -> None:
    for index, login in enumerate(DEMO_LOGINS, start=1):
        options.progress(index, len(DEMO_LOGINS), "demo logins")
        if services.find_user_by_email(session, login.email) is not None:
            continue
        org = registry.find_by_name(session, login.org_name) if login.org_name else None
        if login.org_name and org is None:
            continue  # the registry demo did not create this anchor; skip rather than invent one
        services.create_user(
            session, email=login.email, name=login.name, password=DEMO_PASSWORD,
            spec=services.RoleSpec(Role(login.role), login.side, login.ministry, org.id if org else None),
        )
