"""Sector taxonomy: the MoC's eight areas refined into sectors firms actually describe themselves by."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kakehashi.kernel.areas import AREAS


@dataclass(frozen=True)
class Sector:
    """A finer sector under one of the eight areas; names in English and Japanese."""

    code: str
    area: str
    en: str
    ja: str

    def name(self, locale: str) -> str:
        return self.ja if locale == "ja" else self.en


# Append new sectors at the end: a sector's position is its bit in Organisation.sector_mask.
SECTORS: tuple[Sector, ...] = (
    Sector("semi.design", "semiconductors", "Semiconductor design", "半導体設計"),
    Sector("semi.equipment", "semiconductors", "Semiconductor equipment", "半導体製造装置"),
    Sector("semi.materials", "semiconductors", "Semiconductor materials", "半導体材料"),
    Sector("semi.chemicals", "semiconductors", "Specialty chemicals & gases", "特殊化学品・ガス"),
    Sector("semi.fab", "semiconductors", "Fabrication (fab)", "前工程・製造"),
    Sector("semi.packaging", "semiconductors", "Assembly, test & advanced packaging", "後工程・先端パッケージング"),
    Sector("semi.display", "semiconductors", "Display", "ディスプレイ"),
    Sector("ai.models", "ai", "AI models & platforms", "AIモデル・プラットフォーム"),
    Sector("ai.safety", "ai", "AI safety & evaluation", "AI安全性・評価"),
    Sector("ai.applications", "ai", "Applied AI", "AI応用"),
    Sector("ai.compute", "ai", "AI compute & data centres", "AI計算基盤・データセンター"),
    Sector("corp.iot", "corporate", "IoT", "IoT"),
    Sector("corp.microelectronics", "corporate", "Microelectronics", "マイクロエレクトロニクス"),
    Sector("corp.storage", "corporate", "Storage", "ストレージ"),
    Sector("corp.it_services", "corporate", "IT services & software", "ITサービス・ソフトウェア"),
    Sector("corp.electronics", "corporate", "Electronics manufacturing", "電子機器製造"),
    Sector("dpi.identity", "dpi", "Digital identity", "デジタルID"),
    Sector("dpi.payments", "dpi", "Digital payments", "デジタル決済"),
    Sector("dpi.data_exchange", "dpi", "Consented data exchange", "同意に基づくデータ連携"),
    Sector("dpi.govtech", "dpi", "GovTech (health, agriculture, education)", "ガブテック（医療・農業・教育）"),
    Sector("talent.education", "talent", "Education & training", "教育・研修"),
    Sector("talent.staffing", "talent", "Recruitment & internships", "採用・インターンシップ"),
    Sector("rnd.hpc", "rnd", "Supercomputing (HPC)", "スーパーコンピューティング（HPC）"),
    Sector("rnd.quantum", "rnd", "Quantum computing", "量子コンピューティング"),
    Sector("rnd.society5", "rnd", "Society 5.0 solutions", "Society 5.0 ソリューション"),
    Sector("startup.deeptech", "startups", "Deep-tech start-ups", "ディープテック・スタートアップ"),
    Sector("startup.vc", "startups", "Venture capital", "ベンチャーキャピタル"),
    Sector("startup.incubation", "startups", "Incubation & centres of excellence", "インキュベーション・CoE"),
    Sector("sec.cyber", "security", "Cybersecurity", "サイバーセキュリティ"),
    Sector("sec.telecom", "security", "5G/6G & future networks", "5G/6G・次世代ネットワーク"),
    Sector("sec.conformity", "security", "Standards & conformity assessment", "標準・適合性評価"),
)
SECTOR_CODES = frozenset(sector.code for sector in SECTORS)
BY_CODE = {sector.code: sector for sector in SECTORS}


def area_of(sector_code: str) -> str:
    """The MoC area a sector belongs to."""
    return BY_CODE[sector_code].area


SECTOR_BIT = {sector.code: 1 << position for position, sector in enumerate(SECTORS)}
AREA_BIT = {area.code: 1 << position for position, area in enumerate(AREAS)}


def sector_mask(codes: Iterable[str]) -> int:
    """The bit set of these sector codes (Organisation.sector_mask)."""
    mask = 0
    for code in codes:
        mask |= SECTOR_BIT[code]
    return mask


def area_mask(codes: Iterable[str]) -> int:
    """The bit set of the areas these sector codes belong to (Organisation.area_mask)."""
    mask = 0
    for code in codes:
        mask |= AREA_BIT[area_of(code)]
    return mask
