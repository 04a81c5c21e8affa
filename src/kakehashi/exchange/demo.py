"""Demo data: a few items shared between the demo officers and firms, some decisions on them (permits
and a denial), and a consent request waiting for METI. Idempotent: items are found by title.

Encrypted with the master key of the settings the CLI reads (the same ones `kakehashi serve` uses).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from kakehashi import identity, registry
from kakehashi.exchange import consents, services
from kakehashi.exchange.config import keyring_for, limits_for
from kakehashi.exchange.models import Item
from kakehashi.exchange.policy import AccessMode, Recipients, Tlp
from kakehashi.exchange.terms import Terms
from kakehashi.kernel.clock import utcnow
from kakehashi.kernel.demo import DemoOptions


@dataclass(frozen=True)
class DemoItem:
    """One demo share: who shares, what, with whom, for what."""

    sharer: str
    title: str
    file_name: str
    content: bytes
    purposes: frozenset[str]
    tlp: Tlp
    access: AccessMode
    sides: frozenset[str] = frozenset()
    ministries: frozenset[str] = frozenset()
    org_names: tuple[str, ...] = ()


WAFERS = (b"quarter,site,wafer_starts,yield_pct\n2026Q1,Kumamoto,12000,91.5\n2026Q1,Hiroshima,8000,89.0\n"
          b"2026Q2,Kumamoto,12500,92.1\n")
DPI = (b"# DPI adoption study (draft)\n\nFindings on consent-based data sharing in India's DPI stack, for the "
       b"JWG discussion on DPI cooperation in third countries.\n")
SENSOR = b"module,interface,power_mw\nimage-sensor-A,MIPI CSI-2,320\nimage-sensor-B,MIPI CSI-2,410\n"
ITEMS = (
    DemoItem("officer@meti.demo.example", "Semiconductor output by site, 2026 (METI)", "wafer-output-2026.csv", WAFERS,
             frozenset({"semiconductor", "research"}), Tlp.AMBER, AccessMode.DOWNLOAD, ministries=frozenset({"MEITY"}),
             org_names=("Indus Software Labs Pvt Ltd",)),
    DemoItem("officer@meity.demo.example", "DPI adoption study — draft for the JWG", "dpi-study.md", DPI,
             frozenset({"dpi", "jwg"}), Tlp.GREEN, AccessMode.VIEW_ONLY, sides=frozenset({"JP"})),
    DemoItem("admin@sakura-devices.demo.example", "Sensor module interfaces (confidential)", "sensor-modules.csv", SENSOR,
             frozenset({"corporate-partnership"}), Tlp.AMBER_STRICT, AccessMode.VIEW_ONLY,
             org_names=("Indus Software Labs Pvt Ltd",)),
)


def _org_ids(session: Session, names: tuple[str, ...]) -> frozenset[str]:
    found = (registry.find_by_name(session, name) for name in names)
    return frozenset(str(org.id) for org in found if org is not None)


def _share(session: Session, spec: DemoItem, now: dt.datetime) -> Item | None:
    from kakehashi.cli_support import settings  # the demo runs from the CLI, whose settings serve it too

    user = identity.find_user_by_email(session, spec.sharer)
    if user is None:
        return None
    terms = Terms(spec.purposes, Recipients(sides=spec.sides, ministries=spec.ministries,
                                            organisations=_org_ids(session, spec.org_names)),
                  now - dt.timedelta(days=7), now + dt.timedelta(days=180), spec.tlp, False, spec.access, None)
    return services.share_item(session, services.Upload(spec.file_name, "", io.BytesIO(spec.content)), terms,
                               title=spec.title, description="", kind="dataset", actor=user.actor(),
                               keyring=keyring_for(settings()), limits=limits_for(settings()), now=now)


def _activity(session: Session, item: Item, now: dt.datetime) -> None:
    """The MeitY officer opens the METI item, is refused another purpose, and asks consent for it."""
    from kakehashi.cli_support import settings

    officer = identity.find_user_by_email(session, "officer@meity.demo.example")
    if officer is None:
        return
    actor = officer.actor()
    for purpose in ("semiconductor", "talent"):
        services.access_item(session, item.id, actor=actor, action="view", purpose=purpose,
                             keyring=keyring_for(settings()), now=now)
    consents.request_consent(session, item.id, actor=actor, purpose="talent", onward_sharing=False,
                             justification="To plan semiconductor internships with the wafer-start forecast.", now=now)


def load(session: Session, options: DemoOptions) -> None:
    """Create the demo items that do not exist yet."""
    now = utcnow()
    for step, spec in enumerate(ITEMS, start=1):
        options.progress(step, len(ITEMS), "exchange")
        if session.scalar(select(Item.id).where(Item.title == spec.title)) is not None:
            continue
        item = _share(session, spec, now)
        if item is not None and step == 1:
            _activity(session, item, now)
