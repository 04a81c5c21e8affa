"""The eight areas of cooperation of the MoC (Paragraph 2), shared by every context."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Area:
    """One area of Paragraph 2, with its clause reference and names in three languages."""

    code: str
    clause: str
    en: str
    ja: str
    hi: str

    def name(self, locale: str) -> str:
        return {"ja": self.ja, "hi": self.hi}.get(locale, self.en)


AREAS: tuple[Area, ...] = (
    Area("semiconductors", "P2(i)", "Semiconductor ecosystem", "半導体エコシステム", "सेमीकंडक्टर इकोसिस्टम"),
    Area("ai", "P2(ii)", "Artificial intelligence", "人工知能", "कृत्रिम बुद्धिमत्ता"),
    Area("corporate", "P2(iii)", "Digital corporate partnership", "デジタル企業パートナーシップ", "डिजिटल कॉर्पोरेट साझेदारी"),
    Area("dpi", "P2(iv)", "Digital public infrastructure", "デジタル公共インフラ", "डिजिटल सार्वजनिक अवसंरचना"),
    Area("talent", "P2(v)", "Digital talent", "デジタル人材", "डिजिटल प्रतिभा"),
    Area("rnd", "P2(vi)", "R&D cooperation", "研究開発協力", "अनुसंधान एवं विकास सहयोग"),
    Area("startups", "P2(vii)", "Start-up collaboration", "スタートアップ連携", "स्टार्ट-अप सहयोग"),
    Area("security", "P2(viii)", "Security for future networks", "次世代ネットワークのセキュリティ", "भविष्य के नेटवर्क की सुरक्षा"),
)
AREA_CODES = frozenset(area.code for area in AREAS)
BY_CODE = {area.code: area for area in AREAS}
