"""Support quality per employer on SQLite and PostgreSQL: arithmetic, hiding, visibility, and
the measured support the path advisor shows beside its editorial rating."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import typer
from typer.testing import CliRunner

from altmatch.cli.support import email as support_email
from altmatch.config import Settings
from altmatch.db import Sessions
from altmatch.db.models import SupportCase
from altmatch.domain.access import OPERATOR, AccessDeniedError, Actor, NotFoundError, OrgKind, Role
from altmatch.rulebook import load_rulebook
from altmatch.rulebook.vocabulary import HiringPath
from altmatch.services.accounts.users import create_organisation, create_user
from altmatch.services.advice.advisor import give_advice
from altmatch.services.advice.profile_input import ProfileInput
from altmatch.services.support.metrics import employer_support_metrics, measured_support_by_path

pytestmark = pytest.mark.date_sensitive

# Monday 8 June 2026, 09:00 in Tokyo: a plain working week (no holiday in June).
MONDAY_9AM = datetime(2026, 6, 8, 0, 0, tzinfo=UTC)


def add_case(
    sessions: Sessions,
    *,
    alt: int,
    employer: int,
    path: str = "jet",
    response_hours: float | None = 2,
    resolved_in_hours: float | None = 5,
    resolution_due_hours: float = 6,
    reopened: int = 0,
    subject: str = "My pay slip is wrong",
) -> int:
    """One case opened Monday 09:00 Tokyo, answered and resolved the same day after the given
    hours (all within 08:30-17:15, so clock hours are business hours)."""
    opened = MONDAY_9AM

    def after(hours: float | None) -> datetime | None:
        return None if hours is None else opened + timedelta(hours=hours)

    resolved = after(resolved_in_hours)
    with sessions.begin() as session:
        case = SupportCase(
            alt_user_id=alt,
            path=path,
            employer_id=employer,
            category="pay_contract",
            urgency="normal",
            language="en",
            subject=subject,
            description="The overtime is missing.",
            status="resolved" if resolved is not None else "open",
            opened_at=opened,
            first_response_due=opened + timedelta(hours=4),
            resolution_due=opened + timedelta(hours=resolution_due_hours),
            first_responded_at=after(response_hours),
            resolved_at=resolved,
            reopened_count=reopened,
        )
        session.add(case)
        session.flush()
        return case.id


@dataclass(frozen=True)
class World:
    programme: int
    kobe: int  # BoE in the programme: 5 closed cases and one open
    sendai: int  # BoE in the programme: 4 closed cases (too few to show)
    osaka: int  # BoE outside the programme
    sakura: int  # company: 5 closed dispatch cases
    fuji: int  # company without cases
    alt: int

    def staff(self, sessions: Sessions, role: Role, org: int | None, email: str) -> Actor:
        user = create_user(
            sessions,
            actor=OPERATOR,
            email=email,
            display_name="Staff",
            role=role,
            password=None,
            organisation_id=org,
        )
        return Actor(user_id=user.id, role=role, organisation_id=org)


@pytest.fixture
def world(sessions: Sessions) -> World:
    def org(kind: OrgKind, name: str, programme: int | None = None) -> int:
        return create_organisation(
            sessions,
            actor=OPERATOR,
            kind=kind,
            name_en=name,
            name_ja=name + "（日本語）",
            prefecture="Hyogo",
            programme_id=programme,
        ).id

    programme = org(OrgKind.PROGRAMME, "JET Programme")
    world = World(
        programme=programme,
        kobe=org(OrgKind.BOE, "Kobe City BoE", programme),
        sendai=org(OrgKind.BOE, "Sendai City BoE", programme),
        osaka=org(OrgKind.BOE, "Osaka City BoE"),
        sakura=org(OrgKind.COMPANY, "Sakura ALT"),
        fuji=org(OrgKind.COMPANY, "Fuji Dispatch"),
        alt=create_user(
            sessions,
            actor=OPERATOR,
            email="alt@example.org",
            display_name="Alex",
            role=Role.ALT,
            password=None,
        ).id,
    )
    # Kobe: first responses after 1..5 hours (median 3); one resolved late; one reopened.
    for hours in (1, 2, 3, 4, 5):
        add_case(
            sessions,
            alt=world.alt,
            employer=world.kobe,
            response_hours=hours,
            resolved_in_hours=7 if hours == 5 else 6,
            reopened=1 if hours == 2 else 0,
        )
    add_case(sessions, alt=world.alt, employer=world.kobe, resolved_in_hours=None)  # still open
    for _ in range(4):
        add_case(sessions, alt=world.alt, employer=world.sendai)
    for quick in (0.5, 1, 1.5, 2, 2.5):
        add_case(
            sessions, alt=world.alt, employer=world.sakura, path="dispatch", response_hours=quick
        )
    return world


def test_an_employer_s_figures_are_its_closed_cases_median_on_time_share_and_reopen_rate(
    sessions: Sessions, world: World
) -> None:
    found = employer_support_metrics(sessions, OPERATOR, organisation_id=world.kobe)
    [kobe] = found.employers
    assert kobe.shown and kobe.note is None
    assert kobe.cases == 5  # the open case is not counted
    assert kobe.median_first_response_hours == 3.0
    assert kobe.resolved_within_target == 0.8  # the one resolved after 7 h missed its 6 h
    assert kobe.reopen_rate == 0.2
    assert found.min_cases_to_show == load_rulebook().support.metrics.min_cases_to_show == 5


def test_first_response_counts_business_hours_only(sessions: Sessions, world: World) -> None:
    # Opened Friday 16:15 Tokyo, answered Monday 09:30: one hour on Friday, one on Monday.
    friday = datetime(2026, 6, 12, 7, 15, tzinfo=UTC)
    for _ in range(5):
        with sessions.begin() as session:
            session.add(
                SupportCase(
                    alt_user_id=world.alt,
                    path="dispatch",
                    employer_id=world.fuji,
                    category="housing",
                    urgency="low",
                    language="ja",
                    subject="Leak",
                    description="Water",
                    status="resolved",
                    opened_at=friday,
                    first_response_due=friday + timedelta(days=3),
                    resolution_due=friday + timedelta(days=10),
                    first_responded_at=datetime(2026, 6, 15, 0, 30, tzinfo=UTC),
                    resolved_at=datetime(2026, 6, 16, 0, 30, tzinfo=UTC),
                )
            )
    [fuji] = employer_support_metrics(sessions, OPERATOR, organisation_id=world.fuji).employers
    assert fuji.median_first_response_hours == 2.0
    assert fuji.resolved_within_target == 1.0
    assert fuji.reopen_rate == 0.0


def test_below_the_minimum_no_figure_is_given_not_even_the_count(
    sessions: Sessions, world: World
) -> None:
    found = employer_support_metrics(sessions, OPERATOR, locale="en")
    by_id = {e.organisation_id: e for e in found.employers}
    for hidden in (world.sendai, world.fuji, world.osaka):
        employer = by_id[hidden]
        assert not employer.shown
        assert employer.cases is None
        assert employer.median_first_response_hours is None
        assert employer.resolved_within_target is None
        assert employer.reopen_rate is None
        assert employer.note is not None and "5" in employer.note
    # One more closed case reaches the minimum.
    add_case(sessions, alt=world.alt, employer=world.sendai)
    [sendai] = employer_support_metrics(sessions, OPERATOR, organisation_id=world.sendai).employers
    assert sendai.shown and sendai.cases == 5


def test_the_operator_and_an_admin_see_every_boe_and_company_but_not_the_programme(
    sessions: Sessions, world: World
) -> None:
    admin = world.staff(sessions, Role.ADMIN, None, "admin@example.org")
    for actor in (OPERATOR, admin):
        names = [e.name for e in employer_support_metrics(sessions, actor).employers]
        assert names == [
            "Fuji Dispatch",
            "Kobe City BoE",
            "Osaka City BoE",
            "Sakura ALT",
            "Sendai City BoE",
        ]


def test_staff_see_only_their_own_organisation(sessions: Sessions, world: World) -> None:
    kobe_staff = world.staff(sessions, Role.BOE_STAFF, world.kobe, "kobe@example.org")
    fuji_staff = world.staff(sessions, Role.COMPANY_STAFF, world.fuji, "fuji@example.org")
    [own] = employer_support_metrics(sessions, kobe_staff).employers
    assert (own.organisation_id, own.cases) == (world.kobe, 5)
    [fuji] = employer_support_metrics(sessions, fuji_staff).employers
    assert fuji.organisation_id == world.fuji and not fuji.shown
    with pytest.raises(NotFoundError):
        employer_support_metrics(sessions, fuji_staff, organisation_id=world.sakura)
    with pytest.raises(NotFoundError):
        employer_support_metrics(sessions, kobe_staff, organisation_id=world.sendai)
    with pytest.raises(NotFoundError):  # an id that exists nowhere answers the same
        employer_support_metrics(sessions, kobe_staff, organisation_id=99999)


def test_a_coordinator_sees_the_boes_of_their_programme_only(
    sessions: Sessions, world: World
) -> None:
    coordinator = world.staff(sessions, Role.COORDINATOR, world.programme, "coord@example.org")
    found = employer_support_metrics(sessions, coordinator, locale="ja")
    assert [e.organisation_id for e in found.employers] == [world.kobe, world.sendai]
    assert found.employers[0].name == "Kobe City BoE（日本語）"
    for outside in (world.osaka, world.sakura):
        with pytest.raises(NotFoundError):
            employer_support_metrics(sessions, coordinator, organisation_id=outside)


def test_candidates_and_alts_may_not_see_support_figures(sessions: Sessions, world: World) -> None:
    alt = Actor(user_id=world.alt, role=Role.ALT)
    with pytest.raises(AccessDeniedError):
        employer_support_metrics(sessions, alt)


def _profile() -> ProfileInput:
    return ProfileInput(degree="bachelor", citizenship="GB", english="native")


def test_the_advisor_shows_measured_support_only_for_paths_with_enough_closed_cases(
    sessions: Sessions, world: World
) -> None:
    minimum = load_rulebook().support.metrics.min_cases_for_advisor
    assert minimum == 20
    # JET has 9 closed cases (Kobe 5, Sendai 4) and dispatch 5: neither reaches 20.
    assert measured_support_by_path(sessions) == {}
    before = give_advice(_profile(), sessions=sessions)
    assert all(p.measured_support is None for p in before.paths)
    for _ in range(minimum - 5 - 1):
        add_case(sessions, alt=world.alt, employer=world.fuji, path="dispatch", response_hours=3)
    assert HiringPath.DISPATCH not in measured_support_by_path(sessions)  # 19 closed
    add_case(sessions, alt=world.alt, employer=world.fuji, path="dispatch", response_hours=3)

    advice = give_advice(_profile(), sessions=sessions)
    dispatch = advice.for_path(HiringPath.DISPATCH).measured_support
    assert dispatch is not None
    assert dispatch.cases == 20
    assert dispatch.median_first_response_hours == 3.0  # 5 faster Sakura cases, 15 at 3 h
    assert dispatch.resolved_within_target == 1.0
    assert dispatch.reopen_rate == 0.0
    assert dispatch.summary.startswith("Measured from 20 closed cases.")
    assert "100%" in dispatch.summary
    assert advice.for_path(HiringPath.JET).measured_support is None
    assert advice.for_path(HiringPath.DIRECT_HIRE).measured_support is None


def test_the_advisor_names_each_employer_with_enough_closed_cases_on_the_path(
    sessions: Sessions, world: World
) -> None:
    """Issue 18 (supervisor): beside a path's figures, each BoE or company with at least 20
    closed cases on it, by name in the reader's language. Sakura has 5 dispatch cases and
    Fuji gets 20 at 3 business hours: only Fuji is named, with its own median (3.0 h), and
    the path-wide figure (25 cases) stays beside it."""
    for _ in range(20):
        add_case(sessions, alt=world.alt, employer=world.fuji, path="dispatch", response_hours=3)
    advice = give_advice(_profile(), sessions=sessions, locale="ja")
    dispatch = advice.for_path(HiringPath.DISPATCH)
    assert [e.name for e in dispatch.measured_support_by_employer] == ["Fuji Dispatch（日本語）"]
    fuji = dispatch.measured_support_by_employer[0].measured
    assert (fuji.cases, fuji.median_first_response_hours) == (20, 3.0)
    assert dispatch.measured_support is not None and dispatch.measured_support.cases == 25
    # Kobe's 5 and Sendai's 4 JET cases name nobody
    assert advice.for_path(HiringPath.JET).measured_support_by_employer == []


def test_measured_support_leaves_the_score_and_the_editorial_rating_alone(
    sessions: Sessions, world: World
) -> None:
    without = give_advice(_profile())
    for _ in range(20):
        add_case(sessions, alt=world.alt, employer=world.fuji, path="dispatch", response_hours=8)
    with_figures = give_advice(_profile(), sessions=sessions)
    assert with_figures.for_path(HiringPath.DISPATCH).measured_support is not None
    assert without.for_path(HiringPath.DISPATCH).measured_support is None  # no sessions, no field
    for a, b in zip(without.paths, with_figures.paths, strict=True):
        assert (a.path, a.score, a.dimension_scores) == (b.path, b.score, b.dimension_scores)


def _cli(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> typer.Typer:
    """`altmatch support`'s metrics and e-mail commands on the test database."""
    monkeypatch.setenv("ALTMATCH_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("ALTMATCH_DATA_DIR", str(settings.data_dir))
    app = typer.Typer()
    support_email.register(app)
    return app


def test_the_metrics_command_prints_the_operator_s_view_as_json_and_as_a_table(
    sessions: Sessions, world: World, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = _cli(settings, monkeypatch)
    result = CliRunner().invoke(app, ["metrics", "--org", str(world.kobe), "--json"])
    assert result.exit_code == 0, result.output
    [kobe] = json.loads(result.output)["employers"]
    assert (kobe["cases"], kobe["median_first_response_hours"]) == (5, 3.0)

    table = CliRunner().invoke(app, ["metrics"])
    assert table.exit_code == 0, table.output
    kobe_row = next(line for line in table.output.splitlines() if "Kobe City BoE" in line)
    assert all(cell in kobe_row for cell in ("3.0", "80%", "20%"))
    assert "Not enough closed cases" in table.output

    missing = CliRunner().invoke(app, ["metrics", "--org", "99999"])
    assert missing.exit_code == 2
