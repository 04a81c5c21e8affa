"""Lifecycle engine: states, text and deadlines at the boundaries, across JST and IST."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kakehashi.agreement.lifecycle import (
    Act,
    AgreementRules,
    AgreementSignature,
    LifecycleError,
    Modification,
    Notice,
    NoticeCounting,
    Party,
    Renewal,
    Signed,
    State,
    Timeline,
    add_years,
    build_timeline,
    text_diff,
)

JST, IST = ZoneInfo("Asia/Tokyo"), ZoneInfo("Asia/Kolkata")
PARTIES = (Party("METI", "Asia/Tokyo"), Party("MeitY", "Asia/Kolkata"))
RULES = AgreementRules()


def jst(*args: int) -> datetime:
    return datetime(*args, tzinfo=JST)  # type: ignore[misc]


def ist(*args: int) -> datetime:
    return datetime(*args, tzinfo=IST)  # type: ignore[misc]


# MeitY signs at 21:30 IST on 25 August, already 26 August in Tokyo: still the 25th for MeitY.
SIGNED = AgreementSignature((Signed("METI", jst(2025, 8, 25, 10)), Signed("MeitY", ist(2025, 8, 25, 21, 30))))


def both(meti: datetime, meity: datetime) -> tuple[Signed, ...]:
    return (Signed("METI", meti), Signed("MeitY", meity))


def timeline(*acts: Act, rules: AgreementRules = RULES) -> Timeline:
    return build_timeline(PARTIES, rules, [SIGNED, *acts])


def notice(at: datetime, notice_date: date, **extra: object) -> Notice:
    return Notice("MeitY", "METI", at, notice_date, **extra)  # type: ignore[arg-type]


def test_each_signature_date_is_read_in_the_signers_zone() -> None:
    t = timeline()
    assert t.signed_on == {"METI": date(2025, 8, 25), "MeitY": date(2025, 8, 25)}
    assert t.in_force_on == date(2025, 8, 25)


def test_it_is_signed_by_one_until_the_later_signature_date() -> None:
    late = AgreementSignature((Signed("METI", jst(2025, 8, 25, 10)), Signed("MeitY", ist(2025, 8, 26, 0, 30))))
    t = build_timeline(PARTIES, RULES, [late])
    assert [t.state_on(date(2025, 8, d)) for d in (24, 25, 26)] == [
        State.DRAFT,
        State.SIGNED_BY_ONE,
        State.IN_FORCE,
    ]


def test_one_signature_alone_leaves_the_agreement_signed_by_one() -> None:
    t = build_timeline(PARTIES, RULES, [AgreementSignature((SIGNED.signatures[0],))])
    assert t.state_on(date(2026, 1, 1)) is State.SIGNED_BY_ONE
    assert t.deadlines(date(2026, 1, 1)) == []


def test_it_expires_on_the_fifth_anniversary() -> None:
    t = timeline()
    assert t.state_on(date(2030, 8, 23)) is State.IN_FORCE
    assert t.state_on(date(2030, 8, 24)) is State.IN_FORCE
    assert t.state_on(date(2030, 8, 25)) is State.EXPIRED


def test_a_term_from_29_february_ends_with_28_february() -> None:
    assert add_years(date(2028, 2, 29), 5) == date(2033, 3, 1)
    assert add_years(date(2028, 2, 29), 4) == date(2032, 2, 29)


def test_a_notice_runs_sixty_days_after_the_day_it_is_received_in_tokyo() -> None:
    # 20:00 IST on 1 March is 23:30 JST: METI receives it on 1 March.
    t = timeline(notice(ist(2026, 3, 1, 20), date(2026, 3, 1)))
    assert t.notice_received_on == date(2026, 3, 1)
    assert t.state_on(date(2026, 2, 28)) is State.IN_FORCE
    assert t.state_on(date(2026, 3, 1)) is State.NOTICE_GIVEN
    assert t.state_on(date(2026, 4, 30)) is State.NOTICE_GIVEN  # day 60
    assert t.state_on(date(2026, 5, 1)) is State.DISCONTINUED  # day 61


def test_a_notice_sent_late_in_india_is_received_the_next_day_in_japan() -> None:
    # 21:00 IST on 1 March is 00:30 JST on 2 March; the letter is dated 1 March in Delhi.
    t = timeline(notice(ist(2026, 3, 1, 21), date(2026, 3, 1)))
    assert t.notice_received_on == date(2026, 3, 2)
    assert t.state_on(date(2026, 5, 1)) is State.NOTICE_GIVEN
    assert t.state_on(date(2026, 5, 2)) is State.DISCONTINUED


def test_counting_the_day_of_receipt_is_one_rule_away() -> None:
    rules = AgreementRules(notice_counting=NoticeCounting.INCLUDE_RECEIPT_DAY)
    t = timeline(notice(ist(2026, 3, 1, 20), date(2026, 3, 1)), rules=rules)
    assert t.state_on(date(2026, 4, 29)) is State.NOTICE_GIVEN
    assert t.state_on(date(2026, 4, 30)) is State.DISCONTINUED


def test_it_rejects_a_notice_dated_in_the_past() -> None:
    with pytest.raises(LifecycleError) as caught:
        timeline(notice(ist(2026, 3, 1, 20), date(2026, 2, 28)))
    assert caught.value.code == "notice_in_past"


def test_it_rejects_a_notice_dated_in_the_future() -> None:
    with pytest.raises(LifecycleError) as caught:
        timeline(notice(ist(2026, 3, 1, 10), date(2026, 3, 2)))
    assert caught.value.code == "notice_in_future"


def test_a_notice_may_name_a_later_date_but_not_an_earlier_one() -> None:
    later = timeline(notice(ist(2026, 3, 1, 20), date(2026, 3, 1), discontinuation_date=date(2026, 6, 1)))
    assert later.discontinued_on == date(2026, 6, 1)
    with pytest.raises(LifecycleError) as caught:
        timeline(notice(ist(2026, 3, 1, 20), date(2026, 3, 1), discontinuation_date=date(2026, 4, 30)))
    assert caught.value.code == "notice_too_short"
    assert "from 2026-05-01" in str(caught.value)


def test_it_rejects_a_second_notice_and_a_notice_after_discontinuation() -> None:
    first = notice(ist(2026, 3, 1, 20), date(2026, 3, 1))
    with pytest.raises(LifecycleError, match="already pending"):
        timeline(first, notice(ist(2026, 3, 5, 10), date(2026, 3, 5)))


def test_it_rejects_a_notice_before_entry_into_force() -> None:
    with pytest.raises(LifecycleError) as caught:
        build_timeline(PARTIES, RULES, [notice(ist(2025, 8, 20, 10), date(2025, 8, 20))])
    assert caught.value.code == "not_in_force"


def test_a_renewal_in_the_window_extends_the_term_from_the_old_expiry() -> None:
    t = timeline(Renewal(both(jst(2030, 2, 26, 9), ist(2030, 2, 26, 9)), 5))
    assert t.state_on(date(2030, 2, 25)) is State.IN_FORCE
    assert t.state_on(date(2030, 2, 26)) is State.RENEWED
    assert t.state_on(date(2030, 8, 25)) is State.RENEWED
    assert t.state_on(date(2035, 8, 24)) is State.RENEWED
    assert t.state_on(date(2035, 8, 25)) is State.EXPIRED


def test_it_rejects_a_renewal_before_the_window_opens() -> None:
    with pytest.raises(LifecycleError) as caught:
        timeline(Renewal(both(jst(2030, 2, 25, 9), ist(2030, 2, 25, 9)), 5))
    assert caught.value.code == "renewal_window"


def test_a_renewal_signed_in_india_on_the_last_day_counts_though_tokyo_is_past_midnight() -> None:
    on_time = Renewal(both(jst(2030, 8, 24, 10), ist(2030, 8, 24, 22)), 5)
    assert timeline(on_time).state_on(date(2030, 8, 25)) is State.RENEWED
    late = Renewal(both(jst(2030, 8, 24, 10), ist(2030, 8, 25, 0, 30)), 5)
    with pytest.raises(LifecycleError) as caught:
        timeline(late)
    assert caught.value.code == "not_in_force"


def test_it_rejects_a_renewal_signed_by_one_side() -> None:
    with pytest.raises(LifecycleError) as caught:
        timeline(Renewal((Signed("METI", jst(2030, 3, 1, 9)),), 5))
    assert caught.value.code == "consent_missing"


BASE = (("P7(i)", "Five years."), ("P7(iii)", "Sixty days' notice."))
CHANGE = (("P7(iii)", "Ninety days' notice."),)


def test_a_modification_applies_from_its_effective_date() -> None:
    t = timeline(Modification(both(jst(2026, 1, 10, 9), ist(2026, 1, 10, 9)), date(2026, 2, 1), CHANGE))
    assert t.text_on(BASE, date(2026, 1, 31)) == list(BASE)
    assert t.text_on(BASE, date(2026, 2, 1)) == [BASE[0], CHANGE[0]]
    diff = text_diff(BASE, t.text_on(BASE, date(2026, 2, 1)), old_label="signed", new_label="now")
    assert "-Sixty days' notice." in diff and "+Ninety days' notice." in diff


def test_an_empty_text_removes_a_paragraph() -> None:
    t = timeline(Modification(both(jst(2026, 1, 10, 9), ist(2026, 1, 10, 9)), date(2026, 1, 10), (("P7(i)", ""),)))
    assert t.text_on(BASE, date(2026, 1, 10)) == [BASE[1]]


def test_it_rejects_a_modification_effective_before_it_is_signed() -> None:
    with pytest.raises(LifecycleError) as caught:
        timeline(Modification(both(jst(2026, 1, 10, 9), ist(2026, 1, 10, 9)), date(2026, 1, 9), CHANGE))
    assert caught.value.code == "effective_before_signed"


def test_it_rejects_a_modification_effective_after_discontinuation() -> None:
    with pytest.raises(LifecycleError) as caught:
        timeline(
            notice(ist(2026, 3, 1, 20), date(2026, 3, 1)),
            Modification(both(jst(2026, 3, 10, 9), ist(2026, 3, 10, 9)), date(2026, 5, 1), CHANGE),
        )
    assert caught.value.code == "effective_after_end"


def test_deadlines_list_expiry_and_the_renewal_window() -> None:
    deadlines = timeline().deadlines(date(2026, 1, 1))
    assert [(d.kind, d.on) for d in deadlines] == [
        ("renewal_window_opens", date(2030, 2, 26)),
        ("expiry", date(2030, 8, 24)),
    ]
    assert timeline().deadlines(date(2030, 8, 25)) == []


def test_a_pending_notice_replaces_the_renewal_deadlines() -> None:
    deadlines = timeline(notice(ist(2026, 3, 1, 20), date(2026, 3, 1))).deadlines(date(2026, 3, 1))
    assert [(d.kind, d.on) for d in deadlines] == [("notice_period_ends", date(2026, 4, 30))]


def test_expiry_wins_over_a_notice_that_ends_later() -> None:
    t = timeline(notice(ist(2030, 8, 1, 10), date(2030, 8, 1)))
    assert t.discontinued_on == date(2030, 10, 1)
    assert t.state_on(date(2030, 8, 25)) is State.EXPIRED
    assert t.state_on(date(2030, 10, 1)) is State.EXPIRED


def test_every_day_of_the_first_term_has_exactly_one_state() -> None:
    t = timeline(notice(ist(2027, 6, 15, 12), date(2027, 6, 15)))
    day, seen = date(2025, 8, 20), []
    while day < date(2027, 9, 1):
        state = t.state_on(day)
        if not seen or seen[-1] != state:
            seen.append(state)
        day += timedelta(days=1)
    assert seen == [State.DRAFT, State.IN_FORCE, State.NOTICE_GIVEN, State.DISCONTINUED]


def test_naive_instants_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        build_timeline(PARTIES, RULES, [AgreementSignature((Signed("METI", datetime(2025, 8, 25)),))])
