"""The compliance watch's dates, worked by hand: the three-year unit limit with its three-month
gap, the five-year conversion right, residence-card expiry, the standing outsourcing warning,
when each alert shows and how overdue, due soon and later are told apart."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from altmatch.domain.compliance import (
    AltFacts,
    ComplianceRule,
    ComplianceRules,
    DueStatus,
    Names,
    Stint,
    alerts_for,
    compliance_alerts,
    due_status,
    first_day_after,
    unit_runs,
)
from altmatch.i18n import label, render
from altmatch.rulebook import load_rulebook
from altmatch.rulebook.vocabulary import ContractType

DISPATCH, OUTSOURCING = ContractType.WORKER_DISPATCH, ContractType.OUTSOURCING
KOBE, OSAKA = Names("Kobe BoE", "神戸市教育委員会"), Names("Osaka BoE", "大阪市教育委員会")
SCHOOL = Names("Kobe East JHS", "神戸東中学校")
RULES = ComplianceRules(
    unit_limit_years=3,
    unit_resetting_gap_months=3,
    conversion_years=5,
    conversion_counts_from=date(2013, 4, 1),
    card_renewal_opens_months=3,
    lead_days={
        ComplianceRule.DISPATCH_THREE_YEAR_UNIT: 180,
        ComplianceRule.INDEFINITE_CONVERSION: 180,
        ComplianceRule.RESIDENCE_CARD_EXPIRY: 90,
        ComplianceRule.OUTSOURCING_DIRECTION: 30,
    },
    due_soon_days=30,
)


def at(client: int, start: date, end: date | None = None, kind: ContractType = DISPATCH) -> Stint:
    return Stint(start, end, client, KOBE if client == 1 else OSAKA, SCHOOL, kind)


def alt(*stints: Stint, since: date | None = None, card: date | None = None) -> AltFacts:
    return AltFacts(7, since, card, tuple(stints))


def due(facts: AltFacts, today: date, rule: ComplianceRule) -> list[date]:
    return [a.due_on for a in alerts_for(facts, today, RULES) if a.rule is rule]


UNIT = ComplianceRule.DISPATCH_THREE_YEAR_UNIT


def test_the_test_rules_are_the_rulebooks() -> None:
    """The hand working below uses the 2026 rulebook's figures: 3 years, a 3-month gap, 5 years
    counted from 2013-04-01, renewals from 3 months ahead, leads of 180/180/90/30 days and 30
    days "due soon"; the enum's labels are the rulebook's names."""
    section = load_rulebook(2026).dispatch_compliance
    assert ComplianceRules.of(section) == RULES
    for rule in ComplianceRule:
        assert label(rule) == section.rule(rule.value).name.en


def test_three_years_in_one_unit_fall_due_on_the_anniversary_and_show_180_days_ahead() -> None:
    """Worker dispatch at BoE A from 2024-04-01: three years run 2024-04-01 to 2027-03-31, so
    the limit is reached (the first day beyond it) on 2027-04-01. 180 days before that is
    2026-10-03: nothing on 2026-10-02, the alert from 2026-10-03."""
    facts = alt(at(1, date(2024, 4, 1)))
    assert due(facts, date(2026, 10, 2), UNIT) == []
    assert due(facts, date(2026, 10, 3), UNIT) == [date(2027, 4, 1)]
    (alert,) = alerts_for(facts, date(2026, 10, 3), RULES)
    assert alert.shows_from == date(2026, 10, 3)
    text = render(alert.detail, "en")
    assert "Kobe BoE" in text and "1 Apr 2024" in text and "1 Apr 2027" in text


def test_a_break_of_three_months_continues_the_run_and_a_day_more_restarts_it() -> None:
    """At BoE A from 2023-04-01 to 2024-03-31. The break runs from 2024-04-01: three months
    later is 2024-07-01, so a return on 2024-07-01 (break 04-01..06-30, exactly three months)
    continues the run started 2023-04-01 (due 2026-04-01); a return on 2024-07-02 (three months
    and a day) starts a new run (due 2027-07-02); a return on 2024-08-01 (four months) too
    (due 2027-08-01)."""
    first = at(1, date(2023, 4, 1), date(2024, 3, 31))
    today = date(2026, 12, 6)
    assert due(alt(first, at(1, date(2024, 7, 1))), today, UNIT) == [date(2026, 4, 1)]
    assert due(alt(first, at(1, date(2024, 7, 2))), date(2027, 3, 1), UNIT) == [date(2027, 7, 2)]
    assert due(alt(first, at(1, date(2024, 8, 1))), date(2027, 3, 1), UNIT) == [date(2027, 8, 1)]


def test_another_client_and_outsourcing_do_not_extend_a_run() -> None:
    """At BoE A (dispatch) 2023-04-01..2024-03-31, then BoE B (dispatch) from 2024-04-01: the
    run at A is over, the run at B is due 2027-04-01. An outsourcing assignment at A in
    between counts for no run."""
    runs = unit_runs(
        [
            at(1, date(2023, 4, 1), date(2024, 3, 31)),
            at(2, date(2024, 4, 1)),
            at(1, date(2024, 4, 1), kind=OUTSOURCING),
        ],
        3,
    )
    assert [(r.client_id, r.start, r.end) for r in runs] == [
        (1, date(2023, 4, 1), date(2024, 3, 31)),
        (2, date(2024, 4, 1), None),
    ]
    facts = alt(at(1, date(2023, 4, 1), date(2024, 3, 31)), at(2, date(2024, 4, 1)))
    assert due(facts, date(2026, 12, 6), UNIT) == [date(2027, 4, 1)]


def test_a_run_that_ends_before_the_limit_or_is_over_gives_no_alert() -> None:
    """From 2024-04-01 to 2027-03-31 (the last lawful day): due 2027-04-01, but the run ends
    the day before, so nothing. A run that ended last month is over: nothing either."""
    assert due(alt(at(1, date(2024, 4, 1), date(2027, 3, 31))), date(2027, 1, 5), UNIT) == []
    assert due(alt(at(1, date(2023, 12, 1), date(2026, 11, 30))), date(2026, 12, 6), UNIT) == []


def test_a_period_from_29_february_ends_on_28_february() -> None:
    """From 2024-02-29, three years end on 2027-02-28 (2027 has no 29 February: the period
    ends at the end of that month), so the limit is reached on 2027-03-01; from 2024-03-01
    the same date three years on, 2027-03-01 too, but from a leap year to a leap year the date
    stays: 2024-02-29 + 4 years is 2028-02-29."""
    assert first_day_after(date(2024, 2, 29), 3) == date(2027, 3, 1)
    assert first_day_after(date(2024, 3, 1), 3) == date(2027, 3, 1)
    assert first_day_after(date(2024, 2, 29), 4) == date(2028, 2, 29)


def test_the_conversion_right_arises_five_years_after_the_first_contract() -> None:
    """First fixed-term contract from 2022-04-01, renewed yearly: five years run to 2027-03-31
    and the contract starting 2027-04-01 takes the total past five years, so the right arises
    on 2027-04-01; shown from 180 days before, 2026-10-03. Employed since 2010-06-01: only
    contracts from 2013-04-01 count (MHLW's example), so the right arose on 2018-04-01, long
    overdue on 2026-12-06."""
    conversion = ComplianceRule.INDEFINITE_CONVERSION
    recent = alt(since=date(2022, 4, 1))
    assert due(recent, date(2026, 10, 2), conversion) == []
    assert due(recent, date(2026, 10, 3), conversion) == [date(2027, 4, 1)]
    old = alt(since=date(2010, 6, 1))
    (alert,) = alerts_for(old, date(2026, 12, 6), RULES)
    assert alert.due_on == date(2018, 4, 1)
    assert due_status(alert.due_on, date(2026, 12, 6), 30) is DueStatus.OVERDUE
    assert alt().employed_since is None and alerts_for(alt(), date(2026, 12, 6), RULES) == []


def test_a_card_expiring_2027_02_01_alerts_from_2026_11_03() -> None:
    """90 days before 2027-02-01 is 2026-11-03 (27 days left in November, 31 in December, 31
    in January, and 1 February: 27 + 31 + 31 + 1 = 90). The renewal opens three months before
    the expiry, 2026-11-01. After the expiry the alert stays, overdue."""
    card = ComplianceRule.RESIDENCE_CARD_EXPIRY
    facts = alt(card=date(2027, 2, 1))
    assert due(facts, date(2026, 11, 2), card) == []
    (alert,) = alerts_for(facts, date(2026, 11, 3), RULES)
    assert (alert.rule, alert.due_on, alert.shows_from) == (
        card,
        date(2027, 2, 1),
        date(2026, 11, 3),
    )
    assert alert.detail.params["opens"] == date(2026, 11, 1)
    assert due(facts, date(2027, 2, 10), card) == [date(2027, 2, 1)]


def test_an_outsourcing_assignment_gives_a_standing_warning_from_30_days_before_it_starts() -> None:
    """Outsourcing at BoE A from 2027-04-01: the warning shows from 2027-03-02 (30 days
    before), is due on the start, and stays while the assignment lasts; an ended one gives
    none. A worker-dispatch assignment gives no such warning."""
    rule = ComplianceRule.OUTSOURCING_DIRECTION
    upcoming = alt(at(1, date(2027, 4, 1), kind=OUTSOURCING))
    assert due(upcoming, date(2027, 3, 1), rule) == []
    assert due(upcoming, date(2027, 3, 2), rule) == [date(2027, 4, 1)]
    assert due(upcoming, date(2029, 1, 1), rule) == [date(2027, 4, 1)]
    ended = alt(at(1, date(2025, 4, 1), date(2026, 3, 31), kind=OUTSOURCING))
    assert due(ended, date(2026, 12, 6), rule) == []
    assert due(alt(at(1, date(2026, 4, 1))), date(2026, 12, 6), rule) == []
    (warning,) = alerts_for(upcoming, date(2027, 3, 2), RULES)
    assert "神戸東中学校" in render(warning.detail, "ja")


@pytest.mark.parametrize(
    ("days", "status"),
    [
        (-1, DueStatus.OVERDUE),
        (0, DueStatus.DUE_SOON),
        (30, DueStatus.DUE_SOON),
        (31, DueStatus.LATER),
    ],
)
def test_due_status_by_days_left(days: int, status: DueStatus) -> None:
    """Due yesterday: overdue; today or within 30 days: due soon; 31 days on: later."""
    today = date(2026, 12, 6)
    assert due_status(today + timedelta(days=days), today, 30) is status


def test_alerts_of_many_alts_come_earliest_first() -> None:
    """ALT 7's card expires 2027-01-10, ALT 8 reached five years on 2026-12-01 and ALT 9's
    dispatch at BoE B reaches three years on 2027-03-01: on 2026-12-06 the order is ALT 8
    (overdue), ALT 7, ALT 9."""
    today = date(2026, 12, 6)
    alerts = compliance_alerts(
        [
            AltFacts(7, None, date(2027, 1, 10)),
            AltFacts(8, date(2021, 12, 1), None),
            AltFacts(9, None, None, (at(2, date(2024, 3, 1)),)),
        ],
        today,
        RULES,
    )
    assert [(a.alt_id, a.due_on) for a in alerts] == [
        (8, date(2026, 12, 1)),
        (7, date(2027, 1, 10)),
        (9, date(2027, 3, 1)),
    ]
