"""The demo's recruiting offices: the interview round's eight, each serving countries JET
recruits in, with a real time zone, and no country served twice."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from altmatch.demo.interview_panels import OFFICES as INTERVIEW_OFFICES
from altmatch.demo.recruiting_offices import OFFICES
from altmatch.demo.seed_recruitment import APPLICANTS, SUBMITTED
from altmatch.rulebook import load_rulebook
from altmatch.rulebook.schema import CitizenshipIn
from altmatch.rulebook.vocabulary import HiringPath


def test_the_offices_are_the_interview_rounds_eight() -> None:
    assert [o.code for o in OFFICES] == [code for code, _ in INTERVIEW_OFFICES]


def test_each_office_serves_recruiting_countries_in_a_real_time_zone() -> None:
    rule = next(
        r for r in load_rulebook().paths[HiringPath.JET].eligibility if r.id == "jet.citizenship"
    )
    assert isinstance(rule.check, CitizenshipIn)
    served = [c for o in OFFICES for c in o.countries]
    assert len(served) == len(set(served)) and set(served) <= set(rule.check.values)
    assert {o.code: ZoneInfo(o.time_zone).key for o in OFFICES}["london"] == "Europe/London"


def test_the_online_intake_has_drafts_submissions_and_decisions_at_every_office() -> None:
    states = {state for _, _, state in APPLICANTS}
    assert states == {"draft", "submitted", "screened_in", "screened_out"}
    assert {o.code for _, o, _ in APPLICANTS} == {o.code for o in OFFICES}
    assert SUBMITTED == 11  # 16 applicants; numbers 1, 6, 7, 12 and 13 stay drafts
