"""Texts of the matchmaking demo: opportunities in three languages, funds, a mission, startup traction."""

from __future__ import annotations

from decimal import Decimal

from kakehashi.matchmaking.investment import FundSpec
from kakehashi.matchmaking.opportunities import OpportunitySpec

SAKURA, INDUS = "Sakura Devices KK", "Indus Software Labs Pvt Ltd"
HYBRID_EVENT = "India–Japan Digital Partnering Days"
VIRTUAL_EVENT = "Japan–India Semiconductor Supply Chain Matchmaking (online)"

#: (owning organisation's English name or side for "any demo org of that side", spec, published?)
OPPORTUNITIES: tuple[tuple[str, OpportunitySpec, bool], ...] = (
    (SAKURA, OpportunitySpec(
        kind="technology_offer", title="Wafer inspection systems for power semiconductor fabs",
        summary="Automated optical and electrical inspection for SiC and GaN power devices, with on-site support "
                "in Asia. We seek Indian fabs and OSATs as pilot customers and an embedded-software partner for "
                "local integration.", language="en", sectors=("semi.equipment", "semi.packaging")), True),
    (SAKURA, OpportunitySpec(
        kind="technology_request", title="組込みソフトウェア開発パートナー募集（検査装置向け）",
        summary="当社の半導体検査装置の制御ソフトウェアとAIによる欠陥分類を共同開発できるインドのソフトウェア企業を"
                "探しています。日本語でのコミュニケーションができるチームを歓迎します。", language="ja",
        sectors=("corp.it_services", "ai.applications")), True),
    (INDUS, OpportunitySpec(
        kind="business_offer", title="Embedded software and test automation with a Japan desk",
        summary="Bengaluru engineering team of 400 with a Japan desk (JLPT N2 engineers): firmware, device drivers, "
                "test automation and applied AI for equipment and electronics makers.", language="en",
        sectors=("corp.it_services", "corp.iot")), True),
    (INDUS, OpportunitySpec(
        kind="business_request", title="जापानी उपकरण निर्माताओं के साथ साझेदारी",
        summary="हम जापान के सेमीकंडक्टर उपकरण और इलेक्ट्रॉनिक्स निर्माताओं को खोज रहे हैं जिन्हें एम्बेडेड "
                "सॉफ्टवेयर और एआई आधारित परीक्षण की आवश्यकता है।", language="hi",
        sectors=("semi.equipment", "corp.electronics")), True),
    ("JP", OpportunitySpec(
        kind="rnd_partner_search", title="Joint research on quantum error correction",
        summary="A Japanese research group seeks an Indian university partner for joint work on surface-code "
                "decoders and student exchange, for a Society 5.0 research call.", language="en",
        sectors=("rnd.quantum",), anonymous=True), True),
    ("IN", OpportunitySpec(
        kind="investment_opportunity", title="Series A for an agritech IoT platform",
        summary="An Indian agritech startup with 40,000 farmers on its soil-sensor platform raises a Series A and "
                "seeks Japanese strategic investors and sensor suppliers.", language="en",
        sectors=("dpi.govtech", "corp.iot"), anonymous=True), True),
    ("IN", OpportunitySpec(
        kind="technology_offer", title="UPI-style payment rails for cross-border B2B",
        summary="Open, consent-based payment and data-exchange components proven at national scale, offered to "
                "Japanese fintechs and platform operators.", language="en", sectors=("dpi.payments",)), False),
)

FUNDS: tuple[FundSpec, ...] = (
    FundSpec(name="Sakura–Ganga Growth Fund I (demo)", manager_name="Kaiun Capital Partners (demo)", domicile="JP",
             currency="JPY", invests_in=("IN",), size=Decimal("15000000000"), vintage=2024,
             stages=("series_a", "series_b"), sectors=("corp.it_services", "dpi.payments", "ai.applications"),
             japanese_backers=("a Japanese megabank (demo)", "a Japanese trading house (demo)"),
             description="Invests in Indian B2B software and digital public infrastructure companies that sell to "
                         "Japan."),
    FundSpec(name="Indo-Japan Semiconductor Opportunities Fund (demo)", manager_name="Deccan Silicon Advisors (demo)",
             domicile="IN", currency="INR", invests_in=("IN", "JP"), size=Decimal("8000000000"), vintage=2025,
             stages=("seed", "series_a"), sectors=("semi.design", "semi.packaging"),
             japanese_backers=("a Japanese electronics group (demo)",),
             description="Seed and Series A for Indian chip design and packaging startups, with Japanese LPs."),
    FundSpec(name="Bengaluru Deep-Tech Seed Fund (demo)", manager_name="Lalbagh Ventures (demo)", domicile="IN",
             currency="INR", invests_in=("IN",), size=Decimal("2500000000"), vintage=2023,
             stages=("pre_seed", "seed"), sectors=("startup.deeptech", "ai.models"),
             description="Pre-seed and seed rounds for deep-tech founders from Indian universities."),
)

TRACTION = (
    "Pilots with 3 manufacturers; ₹2.1 crore annual recurring revenue.",
    "12 paying customers in Japan and India; 2 patents filed.",
    "Prototype validated with a Tier-1 supplier; grant from a national mission.",
    "40,000 monthly active users; break-even in two states.",
)

#: A one-page PDF used as the demo pitch decks (valid syntax; the bytes are what the upload sniffs).
DEMO_DECK = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
             b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
