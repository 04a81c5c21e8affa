"""The organisation registry: organisations of both countries, their sectors and national identifiers."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kakehashi.db import Base, JSONType, UTCDateTime
from kakehashi.kernel.i18n import N_


class OrgKind(StrEnum):
    """What kind of body an organisation is."""

    COMPANY = "company"
    STARTUP = "startup"
    INVESTOR = "investor"
    UNIVERSITY = "university"
    RESEARCH = "research_institute"
    GOVERNMENT = "government_body"
    CERT = "cert"
    ASSOCIATION = "industry_association"


# What pages call each kind (messages to translate where shown).
KIND_NAMES: dict[str, str] = {
    OrgKind.COMPANY: N_("Company"), OrgKind.STARTUP: N_("Start-up"), OrgKind.INVESTOR: N_("Investor"),
    OrgKind.UNIVERSITY: N_("University"), OrgKind.RESEARCH: N_("Research institute"),
    OrgKind.GOVERNMENT: N_("Government body"), OrgKind.CERT: N_("CERT / CSIRT"),
    OrgKind.ASSOCIATION: N_("Industry association"),
}

class OrgSize(StrEnum):
    """Head-count band."""

    MICRO = "micro"      # < 10
    SMALL = "small"      # 10–49
    MEDIUM = "medium"    # 50–249
    LARGE = "large"      # 250+


class IdScheme(StrEnum):
    """National and global identifier schemes we validate."""

    JP_CORPORATE_NUMBER = "jp_corporate_number"
    IN_CIN = "in_cin"
    IN_GSTIN = "in_gstin"
    IN_PAN = "in_pan"
    IN_UDYAM = "in_udyam"
    LEI = "lei"


class Organisation(Base):
    """An organisation of Japan or India, with bilingual profile, offers and needs."""

    __tablename__ = "registry_organisation"
    # Lists filter by country, kind, verification, area and sector, and sort by name. Rows are wide (profile
    # texts), so two narrow covering indexes answer lists without touching rows: one in name order (pages),
    # one by id (to filter and sort the candidates of a text search). Areas and sectors are also kept as bit
    # masks (taxonomy.area_mask/sector_mask) so those filters are read from the index too, without a join.
    # No (country, kind) index: with it, SQLite without statistics sorts half the table for
    # "country = ? ORDER BY sort_name".
    __table_args__ = (
        Index("ix_registry_organisation_listing", "sort_name", "id", "country", "kind", "verified_at", "area_mask",
              "sector_mask"),
        Index("ix_registry_organisation_by_id", "id", "sort_name", "country", "kind", "verified_at", "area_mask",
              "sector_mask"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    name_en: Mapped[str] = mapped_column(String(200))
    name_ja: Mapped[str | None] = mapped_column(String(200))
    name_hi: Mapped[str | None] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))
    region: Mapped[str | None] = mapped_column(String(100))
    city: Mapped[str | None] = mapped_column(String(100))
    size: Mapped[str | None] = mapped_column(String(10))
    founded_year: Mapped[int | None] = mapped_column(Integer)
    website: Mapped[str | None] = mapped_column(String(300))
    offers: Mapped[str] = mapped_column(Text, default="")
    seeks: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    contacts: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    areas: Mapped[list[str]] = mapped_column(JSONType, default=list)
    area_mask: Mapped[int] = mapped_column(Integer, default=0)
    sector_mask: Mapped[int] = mapped_column(BigInteger, default=0)
    sort_name: Mapped[str] = mapped_column(String(200))
    verified_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    verified_by: Mapped[int | None] = mapped_column(Integer)
    created_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    sectors: Mapped[list[OrganisationSector]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", lazy="selectin")
    identifiers: Mapped[list[OrganisationIdentifier]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", lazy="selectin")
    document: Mapped[SearchDocument | None] = relationship(cascade="all, delete-orphan", lazy="select")

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def search_text(self) -> str:
        """The folded searchable text (kept in its own narrow table, `SearchDocument`)."""
        return self.document.text if self.document is not None else ""

    @search_text.setter
    def search_text(self, value: str) -> None:
        if self.document is None:
            self.document = SearchDocument(text=value)
        else:
            self.document.text = value

    def display_name(self, locale: str) -> str:
        """The name in the viewer's language when there is one."""
        if locale == "ja" and self.name_ja:
            return self.name_ja
        if locale == "hi" and self.name_hi:
            return self.name_hi
        return self.name_en


class OrganisationSector(Base):
    """One sector code of an organisation (a table, so filters use an index on both databases)."""

    __tablename__ = "registry_organisation_sector"

    org_id: Mapped[int] = mapped_column(ForeignKey("registry_organisation.id", ondelete="CASCADE"), primary_key=True)
    sector: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)
    area: Mapped[str] = mapped_column(String(20), index=True)  # denormalised from the taxonomy for fast roll-ups
    organisation: Mapped[Organisation] = relationship(back_populates="sectors")


class OrganisationIdentifier(Base):
    """A validated national identifier; (scheme, value) is unique across the registry."""

    __tablename__ = "registry_organisation_identifier"
    # Search finds identifiers by their start: a range on `value`, which on PostgreSQL needs byte order ("C").
    __table_args__ = (UniqueConstraint("scheme", "value"), Index("ix_registry_organisation_identifier_value", "value"))

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("registry_organisation.id", ondelete="CASCADE"), index=True)
    scheme: Mapped[str] = mapped_column(String(30))
    value: Mapped[str] = mapped_column(String(40).with_variant(String(40, collation="C"), "postgresql"))
    organisation: Mapped[Organisation] = relationship(back_populates="identifiers")


class SearchDocument(Base):
    """An organisation's folded names, identifiers and places, one per line: what a search's substring check
    reads. A table of its own so that check reads narrow rows, not whole profiles."""

    __tablename__ = "registry_search_document"

    org_id: Mapped[int] = mapped_column(ForeignKey("registry_organisation.id", ondelete="CASCADE"), primary_key=True)
    text: Mapped[str] = mapped_column(Text, default="")


class SearchGram(Base):
    """Inverted index of character bigrams of names and identifiers, for partial-word search in any script."""

    __tablename__ = "registry_search_gram"
    # SQLite: the primary key is the table (no hidden rowid b-tree): a third less to write and to read.
    __table_args__ = {"sqlite_with_rowid": False}

    gram: Mapped[str] = mapped_column(String(8), primary_key=True)
    org_id: Mapped[int] = mapped_column(
        ForeignKey("registry_organisation.id", ondelete="CASCADE"), primary_key=True, index=True)
