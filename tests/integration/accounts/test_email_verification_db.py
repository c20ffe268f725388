"""Account pre-hijacking (issue 15, item 3), on SQLite and PostgreSQL: an imported application is
linked only to an account whose address is proven by a mailed link, signing up first with
someone else's address wins nothing, the links work once and not for long, an import that fails
invites nobody, and the e-mails reach the mail folder in the reader's language."""

from __future__ import annotations

import re
import socket
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, inspect, select
from tests.season_world import World, build_world, candidates_csv, future_deadline, requests_csv
from tests.smtp_sink import running_sink

from altmatch.clock import utc_now
from altmatch.config import Settings
from altmatch.db import Sessions, downgrade_database, make_engine, upgrade_database
from altmatch.db import accounts as accounts_repo
from altmatch.db.models import EmailToken, SeasonCandidate, User, UserSession
from altmatch.domain.access import OPERATOR, Actor, OrgKind, Role
from altmatch.services.accounts.authentication import (
    SignedIn,
    SignInError,
    actor_for,
    resolve_session,
    sign_in,
)
from altmatch.services.accounts.consent import CONSENT_VERSION
from altmatch.services.accounts.email_links import (
    EmailLinkError,
    EmailLinkPolicy,
    LinksLimitedError,
    read_email_link,
    request_verification,
)
from altmatch.services.accounts.mail import MailSweeper, send_account_mail
from altmatch.services.accounts.my_account import SIGN_UP_ANSWER, sign_up_candidate
from altmatch.services.accounts.users import create_organisation, create_user
from altmatch.services.identity import confirm_my_address, set_up_account_by_link
from altmatch.services.kernel.errors import RuleError
from altmatch.services.kernel.mail import FolderMessage, folder_messages
from altmatch.services.season import imports
from altmatch.services.season.imports import import_candidates, import_requests
from altmatch.services.season.setup import list_seasons, open_season

VICTIM = "victim@example.org"
ATTACKER_PASSWORD = "the attacker's passphrase"
VICTIM_PASSWORD = "the victim's own passphrase"
# One application in the file carries the victim's address (besides the example season's).
VICTIM_ROW = ["V01", "N2", "3", "no", "", "80", "Hyogo", "", "", "yes", "Vera Victim", VICTIM, ""]


def sign_up(
    sessions: Sessions, email: str, password: str = ATTACKER_PASSWORD, locale: str = "en"
) -> object:
    return sign_up_candidate(
        sessions,
        email=email,
        display_name="Someone",
        password=password,
        locale=locale,
        consent_version=CONSENT_VERSION,
        ip="203.0.113.7",
    )


def signed_in(sessions: Sessions, email: str, password: str) -> SignedIn:
    result = sign_in(sessions, email=email, password=password, ip="198.51.100.1")
    assert isinstance(result, SignedIn)
    return result


def actor(sessions: Sessions, email: str) -> Actor:
    with sessions() as session:
        user = accounts_repo.get_user_by_email(session, email)
        assert user is not None
        return actor_for(session, user)


def season_with(sessions: Sessions, world: World, *rows: list[str]) -> int:
    season = open_season(
        sessions,
        world.coordinator,
        name="2027 season",
        year=2027,
        request_deadline=future_deadline(),
        contract_start=future_deadline().date() + timedelta(days=200),
    )
    for importer, content in (
        (import_requests, requests_csv()),
        (import_candidates, candidates_csv(extra_rows=list(rows))),
    ):
        result = importer(
            sessions, world.coordinator, season.id, content=content, filename="f.csv", commit=True
        )
        assert result.committed, result.errors
    return season.id


def application_owner(sessions: Sessions, external_id: str) -> int | None:
    with sessions() as session:
        query = select(SeasonCandidate.user_id).where(SeasonCandidate.external_id == external_id)
        owner: int | None = session.scalars(query).one()
        return owner


def mails(settings: Settings, to: str) -> list[FolderMessage]:
    return [m for m in folder_messages(settings.mail_folder) if m.to == to]


def token_in(message: FolderMessage) -> str:
    found = re.search(r"/verify-email\?token=([\w-]+)", message.body)
    assert found, message.body
    return found.group(1)


def count_tokens(sessions: Sessions) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(EmailToken)) or 0)


def test_an_address_signed_up_first_by_someone_else_wins_nothing(
    sessions: Sessions, settings: Settings
) -> None:
    world = build_world(sessions)
    assert sign_up(sessions, VICTIM) == SIGN_UP_ANSWER  # the attacker, with the victim's address
    attacker = signed_in(sessions, VICTIM, ATTACKER_PASSWORD)

    season_id = season_with(sessions, world, VICTIM_ROW)

    assert application_owner(sessions, "V01") is None
    assert list_seasons(sessions, actor(sessions, VICTIM)) == []
    assert send_account_mail(sessions, settings).sent == 2
    received = mails(settings, VICTIM)
    assert [m.subject for m in received] == [
        "altmatch: confirm your e-mail address",  # the attacker's sign-up
        "altmatch: an application for you",  # the import's, in the language of that account
    ]
    verify_token, invite_token = (token_in(m) for m in received)
    link = read_email_link(sessions, invite_token, None)
    assert (link.valid, link.purpose, link.email, link.account) == (
        True,
        "invite",
        VICTIM,
        "unconfirmed",
    )

    proven = set_up_account_by_link(  # the victim follows the invitation
        sessions,
        invite_token,
        display_name="Vera Victim",
        password=VICTIM_PASSWORD,
        locale="en",
        consent_version=CONSENT_VERSION,
    )

    assert proven.linked == 1 and proven.user.email_verified_at is not None
    assert application_owner(sessions, "V01") == proven.user.id
    victim = actor(sessions, VICTIM)
    assert [s.id for s in list_seasons(sessions, victim)] == [season_id]
    # whatever let the attacker in is gone: their session and their password
    assert resolve_session(sessions, attacker.token) is None
    with pytest.raises(SignInError):
        sign_in(sessions, email=VICTIM, password=ATTACKER_PASSWORD, ip="203.0.113.7")
    assert signed_in(sessions, VICTIM, VICTIM_PASSWORD).user.display_name == "Vera Victim"
    # neither link can set the confirmed account up again
    with pytest.raises(EmailLinkError):
        set_up_account_by_link(
            sessions,
            invite_token,
            display_name="Again",
            password=ATTACKER_PASSWORD,
            locale="en",
            consent_version=CONSENT_VERSION,
        )
    assert read_email_link(sessions, verify_token, None).account == "confirmed"
    with pytest.raises(RuleError, match="confirmed account already"):
        set_up_account_by_link(
            sessions,
            verify_token,
            display_name="Again",
            password=ATTACKER_PASSWORD,
            locale="en",
            consent_version=CONSENT_VERSION,
        )


def test_an_address_nobody_signed_up_with_gets_an_account_through_the_invitation(
    sessions: Sessions, settings: Settings
) -> None:
    world = build_world(sessions)
    season_with(sessions, world, VICTIM_ROW)
    send_account_mail(sessions, settings)
    (invitation,) = mails(settings, VICTIM)
    assert read_email_link(sessions, token_in(invitation), None).account == "none"

    proven = set_up_account_by_link(
        sessions,
        token_in(invitation),
        display_name="Vera",
        password=VICTIM_PASSWORD,
        locale="ja",
        consent_version=CONSENT_VERSION,
    )

    assert proven.signed_in is not None and proven.linked == 1
    assert (proven.user.role, proven.user.locale, proven.user.consent_version) == (
        Role.CANDIDATE,
        "ja",
        CONSENT_VERSION,
    )
    assert resolve_session(sessions, proven.signed_in.token) is not None


def test_a_confirmed_candidate_is_linked_at_import_and_invited_to_nothing(
    sessions: Sessions, settings: Settings
) -> None:
    world = build_world(sessions)  # Emily's and Liam's accounts are an administrator's: confirmed
    season_with(sessions, world)
    assert application_owner(sessions, "C01") == world.emily.user_id
    assert application_owner(sessions, "C02") == world.liam.user_id
    assert send_account_mail(sessions, settings).sent == 0
    assert folder_messages(settings.mail_folder) == []


def test_confirming_an_address_links_what_was_imported_for_it(
    sessions: Sessions, settings: Settings
) -> None:
    world = build_world(sessions)
    sign_up(sessions, VICTIM, VICTIM_PASSWORD)  # the real owner this time, slow to confirm
    season_id = season_with(sessions, world, VICTIM_ROW)
    send_account_mail(sessions, settings)
    verify = next(m for m in mails(settings, VICTIM) if "confirm" in m.subject)
    owner = actor(sessions, VICTIM)
    assert read_email_link(sessions, token_in(verify), owner).signed_in_as_owner

    proven = confirm_my_address(sessions, owner, token_in(verify))

    assert proven.linked == 1 and proven.signed_in is None
    assert [s.id for s in list_seasons(sessions, owner)] == [season_id]
    # the invitation, followed later, finds the address confirmed: nothing more to link
    invite = next(m for m in mails(settings, VICTIM) if "application" in m.subject)
    assert confirm_my_address(sessions, owner, token_in(invite)).linked == 0


def test_a_link_works_once_only_for_its_address_and_not_after_it_expires(
    sessions: Sessions, settings: Settings
) -> None:
    sign_up(sessions, VICTIM, VICTIM_PASSWORD)
    sign_up(sessions, "other@example.org", VICTIM_PASSWORD)
    send_account_mail(sessions, settings)
    token = token_in(mails(settings, VICTIM)[0])
    owner, other = actor(sessions, VICTIM), actor(sessions, "other@example.org")

    for wrong in ("", "made-up", token[:-1], token + "x" * 200):
        assert not read_email_link(sessions, wrong, owner).valid
        with pytest.raises(EmailLinkError):
            confirm_my_address(sessions, owner, wrong)
    with pytest.raises(RuleError, match="sent to another address"):
        confirm_my_address(sessions, other, token)
    later = utc_now() + EmailLinkPolicy().link_lifetime + timedelta(minutes=1)
    assert not read_email_link(sessions, token, owner, now=later).valid
    with pytest.raises(EmailLinkError):
        confirm_my_address(sessions, owner, token, now=later)

    assert confirm_my_address(sessions, owner, token).user.email_verified_at is not None
    with pytest.raises(EmailLinkError):
        confirm_my_address(sessions, owner, token)
    assert not read_email_link(sessions, token, owner).valid
    with sessions() as session:
        other_user = session.get(User, other.user_id)
        assert other_user is not None and other_user.email_verified_at is None


def test_reading_a_link_changes_nothing(sessions: Sessions, settings: Settings) -> None:
    """What a mail scanner does when it opens the link: the page, not the button."""
    sign_up(sessions, VICTIM, VICTIM_PASSWORD)
    send_account_mail(sessions, settings)
    token = token_in(mails(settings, VICTIM)[0])
    owner = actor(sessions, VICTIM)
    for _ in range(3):
        assert read_email_link(sessions, token, owner).valid
    with sessions() as session:
        user = session.get(User, owner.user_id)
        row = session.scalars(select(EmailToken).where(EmailToken.email == VICTIM)).one()
        assert user is not None and user.email_verified_at is None and row.used_at is None


def test_new_links_are_limited_per_account(sessions: Sessions) -> None:
    sign_up(sessions, VICTIM, VICTIM_PASSWORD)  # its link is the first of three an hour
    owner = actor(sessions, VICTIM)
    policy = EmailLinkPolicy()
    now = utc_now()
    for minutes in (1, 2):
        assert (
            request_verification(
                sessions, owner, policy=policy, now=now + timedelta(minutes=minutes)
            )
            == VICTIM
        )
    with pytest.raises(LinksLimitedError) as refused:
        request_verification(sessions, owner, policy=policy, now=now + timedelta(minutes=3))
    assert 0 < refused.value.retry_after_seconds <= 3600
    after = now + policy.resend_window + timedelta(minutes=1)
    assert request_verification(sessions, owner, policy=policy, now=after) == VICTIM


def test_an_import_that_fails_invites_nobody(
    sessions: Sessions, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = build_world(sessions)
    season = open_season(
        sessions,
        world.coordinator,
        name="2027 season",
        year=2027,
        request_deadline=future_deadline(),
        contract_start=future_deadline().date() + timedelta(days=200),
    )
    broken = [*VICTIM_ROW[:1], "N9", *VICTIM_ROW[2:]]  # no such JLPT level: the file is refused
    content = candidates_csv(extra_rows=[broken])
    refused = import_candidates(
        sessions, world.coordinator, season.id, content=content, filename="f.csv", commit=True
    )
    assert not refused.committed

    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the database went away after the rows were written")

    monkeypatch.setattr(imports, "record_audit", fail)  # after the invitations are queued
    with pytest.raises(RuntimeError):
        import_candidates(
            sessions,
            world.coordinator,
            season.id,
            content=candidates_csv(extra_rows=[VICTIM_ROW]),
            filename="f.csv",
            commit=True,
        )

    assert count_tokens(sessions) == 0
    assert send_account_mail(sessions, settings).sent == 0
    assert folder_messages(settings.mail_folder) == []


def test_each_mail_is_in_its_readers_language(sessions: Sessions, settings: Settings) -> None:
    world = build_world(sessions)
    sign_up(sessions, "kenji@example.jp", VICTIM_PASSWORD, locale="ja")
    season_with(
        sessions,
        world,
        VICTIM_ROW,
        ["V02", "N1", "1", "no", "", "70", "Hyogo", "", "", "yes", "Kenji", "kenji@example.jp", ""],
    )
    send_account_mail(sessions, settings)

    verify, invite = mails(settings, "kenji@example.jp")
    assert verify.subject == "altmatch：メールアドレスの確認"
    assert "確認が済むまで" in verify.body and "lang=ja" in verify.body
    assert "48時間以内に1回だけ使えます" in verify.body
    assert invite.subject == "altmatch：あなたの応募について"  # his unconfirmed account's language
    assert "30日以内" in invite.body and "coordinator" not in invite.body
    (both,) = mails(settings, VICTIM)  # nobody's address yet: English, then Japanese
    assert "A programme coordinator added an application" in both.body
    assert "プログラムのコーディネーターが" in both.body
    assert both.body.index("A programme") < both.body.index("プログラム")


def test_signing_up_with_a_taken_address_tells_only_its_owner(
    sessions: Sessions, settings: Settings
) -> None:
    boe = create_organisation(
        sessions, actor=OPERATOR, kind=OrgKind.BOE, name_en="Kobe", name_ja="神戸"
    )
    create_user(
        sessions,
        actor=OPERATOR,
        email="tanaka@kobe.example.jp",
        display_name="Tanaka",
        role=Role.BOE_STAFF,
        password=VICTIM_PASSWORD,
        organisation_id=boe.id,
    )
    sign_up(sessions, VICTIM)  # unconfirmed
    assert sign_up(sessions, "Tanaka@kobe.example.jp") == SIGN_UP_ANSWER
    assert sign_up(sessions, VICTIM) == SIGN_UP_ANSWER
    send_account_mail(sessions, settings)

    (notice,) = mails(settings, "tanaka@kobe.example.jp")
    assert notice.subject == "altmatch: someone tried to sign up with your address"
    assert "Nothing was changed" in notice.body and "token=" not in notice.body
    assert "/sign-in" in notice.body
    _, taken = mails(settings, VICTIM)
    assert "has not been confirmed yet" in taken.body
    link = read_email_link(sessions, token_in(taken), None)
    assert (link.purpose, link.account) == ("taken", "unconfirmed")


def test_a_mail_that_cannot_be_sent_waits_for_the_next_run(
    sessions: Sessions, settings: Settings
) -> None:
    sign_up(sessions, VICTIM, VICTIM_PASSWORD)
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    unreachable = settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port})

    failed = send_account_mail(sessions, unreachable)

    assert failed.sent == 0 and len(failed.failed) == 1
    assert send_account_mail(sessions, settings).sent == 1
    assert send_account_mail(sessions, settings).sent == 0  # sent once
    (message,) = mails(settings, VICTIM)
    owner = actor(sessions, VICTIM)
    assert confirm_my_address(sessions, owner, token_in(message)).user.email_verified_at


def test_account_mail_goes_through_the_smtp_server_when_one_is_set(
    sessions: Sessions, settings: Settings
) -> None:
    with running_sink() as (outbox, port):
        sign_up(sessions, VICTIM, VICTIM_PASSWORD, locale="ja")
        smtp = settings.model_copy(
            update={"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_sender": "no-reply@alt.jp"}
        )
        assert send_account_mail(sessions, smtp).sent == 1
    (message,) = outbox.received
    assert (message["To"], message["From"]) == (VICTIM, "no-reply@alt.jp")
    assert message["Subject"] == "altmatch：メールアドレスの確認"
    assert folder_messages(settings.mail_folder) == []  # the folder is only for no server


def test_the_mail_sweep_sends_what_waits_on_its_own_timer(
    sessions: Sessions, settings: Settings
) -> None:
    """`altmatch serve`'s sweep: an import's invitations go out without anyone asking."""
    world = build_world(sessions)
    season_with(sessions, world, VICTIM_ROW)
    sweeper = MailSweeper(sessions, settings.model_copy(update={"mail_sweep_seconds": 0.05}))
    sweeper.start()
    try:
        deadline = time.monotonic() + 10
        while not mails(settings, VICTIM) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        sweeper.stop()
    assert sweeper.runs >= 1
    (invitation,) = mails(settings, VICTIM)
    assert read_email_link(sessions, token_in(invitation), None).purpose == "invite"


def test_only_the_sha256_of_a_token_is_stored(sessions: Sessions, settings: Settings) -> None:
    sign_up(sessions, VICTIM, VICTIM_PASSWORD)
    send_account_mail(sessions, settings)
    token = token_in(mails(settings, VICTIM)[0])
    with sessions() as session:
        row = session.scalars(select(EmailToken)).one()
        assert row.token_hash is not None and token not in row.token_hash
        assert len(row.token_hash) == 64


def test_the_migration_confirms_the_accounts_administrators_made(
    sessions: Sessions, settings: Settings
) -> None:
    """m2_email_verification: staff and administrator-made candidates are confirmed from their
    creation; self-signed-up candidates are not. On SQLite the downgrade drops the column
    without rebuilding `users`, so nothing that refers to it is lost."""
    world = build_world(sessions)  # staff, and candidates an administrator made
    sign_up(sessions, VICTIM, VICTIM_PASSWORD)
    signed_in(sessions, VICTIM, VICTIM_PASSWORD)
    with sessions() as session:
        live_sessions = session.scalar(select(func.count()).select_from(UserSession))

    downgrade_database(settings, "m1_job_scopes")
    engine = make_engine(settings)
    try:
        columns = {c["name"] for c in inspect(engine).get_columns("users")}
        assert "email_verified_at" not in columns
        assert "email_tokens" not in inspect(engine).get_table_names()
    finally:
        engine.dispose()
    upgrade_database(settings)

    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(UserSession)) == live_sessions
        users = {u.email: u for u in session.scalars(select(User))}
    assert users[VICTIM].email_verified_at is None
    for email in ("coordinator@example.org", "kobe@example.org", "emily@example.org"):
        assert users[email].email_verified_at == users[email].created_at
    assert world.emily.user_id == users["emily@example.org"].id
