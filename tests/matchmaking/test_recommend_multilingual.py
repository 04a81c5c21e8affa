"""Planted partners written in different languages find each other (real model, small n)."""

from __future__ import annotations

import pytest

from kakehashi.matchmaking.recommend import Embedder, ProfileText, ProfileVectors, RecommendationIndex

# org id: (country, offer, seek). Ids 1–4 (Japan) pair with 11–14 (India); the rest are distractors.
PROFILES: dict[int, tuple[str, str, str]] = {
    1: ("JP", "当社は自動車工場向けの産業用ロボットと精密センサーを製造しています。",
        "We are looking for AI software that predicts machine failures in factories."),
    2: ("JP", "We manufacture high-efficiency solar panels and inverters.",
        "インドで太陽光発電所を建設するパートナーを探しています。"),
    3: ("JP", "スマートフォン向けのゲームを開発しています。",
        "ゲームをヒンディー語に翻訳・ローカライズする会社を探しています。"),
    4: ("JP", "We make portable ultrasound scanners for clinics.",
        "We need a distributor of medical devices for hospitals in India."),
    5: ("JP", "高速鉄道の信号システムを提供しています。", "インドの鉄道会社との協業を希望しています。"),
    6: ("JP", "We run a chain of Japanese language schools.", "We want to recruit Indian students."),
    11: ("IN", "हम कारखानों में मशीनों की खराबी का पूर्वानुमान लगाने वाला एआई सॉफ्टवेयर बनाते हैं।",
         "We want to buy industrial robots and precision sensors for car factories."),
    12: ("IN", "We build and operate solar power plants across India.",
         "हम उच्च दक्षता वाले सौर पैनलों के निर्माता की तलाश में हैं।"),
    13: ("IN", "हम वीडियो गेम का हिंदी और तमिल में स्थानीयकरण करते हैं।",
         "We are looking for mobile game studios to work with."),
    14: ("IN", "We distribute medical equipment to hospitals across India.",
         "हम पोर्टेबल अल्ट्रासाउंड मशीनों के निर्माता की तलाश में हैं।"),
    15: ("IN", "हम सूती कपड़े और परिधान निर्यात करते हैं।", "We need dyeing machines for cotton fabric."),
    16: ("IN", "We build UPI payment apps for small shops.", "हमें फिनटेक विस्तार के लिए निवेशक चाहिए।"),
    17: ("IN", "हम रेलवे स्टेशनों के लिए सुरक्षा कैमरे लगाते हैं।", "We want partners in smart city projects."),
    18: ("IN", "We teach Japanese to engineers in Pune.", "हमें जापान में नौकरी के अवसर चाहिए।"),
}
PAIRS = [(1, 11), (2, 12), (3, 13), (4, 14)]


@pytest.fixture(scope="module")
def index() -> RecommendationIndex:
    embedder = Embedder()
    records = []
    for org_id, (country, offer, seek) in PROFILES.items():
        offer_vector, seek_vector = embedder.embed_many([offer, seek])
        records.append(ProfileVectors(org_id, country, "company", (ProfileText(offer, offer_vector),),
                                      (ProfileText(seek, seek_vector),)))
    return RecommendationIndex(records)


@pytest.mark.parametrize(("mine", "partner"), PAIRS + [(b, a) for a, b in PAIRS])
def test_each_planted_partner_ranks_first_across_languages(index: RecommendationIndex, mine: int,
                                                          partner: int) -> None:
    ranked = [r.org_id for r in index.recommend(mine, limit=5)]
    assert ranked[0] == partner, ranked


def test_the_reason_quotes_my_seek_and_their_offer_in_their_languages(index: RecommendationIndex) -> None:
    top = index.recommend(1, limit=1)[0]
    seek_offer = next(r for r in top.reasons if r.code == "seek_offer")
    assert seek_offer.values == (PROFILES[1][2], PROFILES[11][1])
