"""The controlled vocabulary of purposes an item may be used for, tied to the MoC's areas and the JWG.

Officers extend it (phase 2 stores extensions in the database); the decision engine only ever sees a
frozenset of codes, and a purpose outside it is a denial, never a silent pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PURPOSE_CODE = re.compile(r"^[a-z][a-z0-9-]{1,62}$")


@dataclass(frozen=True, slots=True)
class Purpose:
    """One permitted purpose: a stable code, its labels and the MoC clause it comes from."""

    code: str
    label_en: str
    label_ja: str
    clause: str


MOC_PURPOSES: tuple[Purpose, ...] = (
    Purpose("semiconductor", "Semiconductor ecosystem cooperation", "半導体エコシステム協力", "P2(i)"),
    Purpose("display", "Display ecosystem cooperation", "ディスプレイ・エコシステム協力", "P2(i)"),
    Purpose("ai", "Artificial intelligence cooperation", "人工知能協力", "P2(ii)"),
    Purpose("ai-safety", "AI safety evaluation and standards", "AIセーフティの評価・標準", "P2(ii)"),
    Purpose("corporate-partnership", "Digital corporate partnership and B2B matchmaking",
            "デジタル企業連携・B2Bマッチング", "P2(iii)"),
    Purpose("investment", "Investment promotion", "投資促進", "P2(iii)"),
    Purpose("dpi", "Digital public infrastructure", "デジタル公共インフラ", "P2(iv)"),
    Purpose("talent", "Digital talent and workforce development", "デジタル人材・労働力育成", "P2(v)"),
    Purpose("research", "R&D cooperation", "研究開発協力", "P2(vi)"),
    Purpose("startup", "Start-up collaboration", "スタートアップ連携", "P2(vii)"),
    Purpose("cybersecurity", "Cyber security cooperation", "サイバーセキュリティ協力", "P2(viii)"),
    Purpose("cert-cooperation", "CERT-to-CERT cooperation", "CERT間協力", "P2(viii)"),
    Purpose("standards", "Standards and conformity assessment", "標準化・適合性評価", "P2(viii)"),
    Purpose("jwg", "Joint Working Group consultations", "合同作業部会の協議", "P3(ii)"),
    Purpose("implementation", "Coordination of the MoC's implementation by the nodal agencies",
            "結節機関による協力覚書の実施調整", "P3(i)"),
)

MOC_PURPOSE_CODES: frozenset[str] = frozenset(p.code for p in MOC_PURPOSES)


def is_valid_purpose_code(code: str) -> bool:
    """True when `code` may name a new purpose (lower-case letters, digits and hyphens)."""
    return PURPOSE_CODE.fullmatch(code) is not None
