"""E-mail delivery of notices through a real SMTP server: a local aiosmtpd sink on 127.0.0.1
(never the internet), on SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
import ssl
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
import typer
from aiosmtpd.controller import Controller
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.smtp_sink import Sink, free_port, running_sink
from typer.testing import CliRunner

from altmatch.cli.support import email as support_email
from altmatch.config import Settings
from altmatch.db import Sessions
from altmatch.db.models import Notification, SupportCase
from altmatch.domain.access import OPERATOR, OrgKind, Role
from altmatch.i18n import Message, render
from altmatch.services.accounts.users import create_organisation, create_user
from altmatch.services.support.email import (
    CASE_LINK,
    deliver_pending_emails,
    send_pending_emails,
)
from altmatch.services.support.notifications import notify

pytestmark = pytest.mark.date_sensitive

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
REPLY = "Your support case #{case_id} has a reply."
SECRET_SUBJECT = "Vice principal Tanaka shouts at me"
SECRET_DESCRIPTION = "Every Tuesday in the staff room, in front of everyone."


def body(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    text = part.get_content()
    assert isinstance(text, str)
    return text


@pytest.fixture
def sink() -> Iterator[tuple[Sink, int]]:
    with running_sink() as running:
        yield running


@dataclass(frozen=True)
class World:
    emily: int  # an ALT reading English
    kenji: int  # an ALT reading Japanese
    pay_case: int  # Emily's pay case
    harassment_case: int  # Kenji's confidential case


def _case(session: Session, alt: int, employer: int, category: str, subject: str) -> int:
    case = SupportCase(
        alt_user_id=alt,
        path="jet",
        employer_id=employer,
        category=category,
        urgency="normal",
        language="en",
        subject=subject,
        description=SECRET_DESCRIPTION if category == "harassment" else "Overtime missing.",
        opened_at=NOW - timedelta(days=1),
        first_response_due=NOW,
        resolution_due=NOW + timedelta(days=10),
    )
    session.add(case)
    session.flush()
    return case.id


@pytest.fixture
def world(sessions: Sessions) -> World:
    boe = create_organisation(
        sessions, actor=OPERATOR, kind=OrgKind.BOE, name_en="Kobe BoE", name_ja="神戸市教委"
    ).id

    def alt(email: str, locale: str) -> int:
        return create_user(
            sessions,
            actor=OPERATOR,
            email=email,
            display_name=email,
            role=Role.ALT,
            password=None,
            locale=locale,
        ).id

    emily, kenji = alt("emily@example.org", "en"), alt("kenji@example.org", "ja")
    with sessions.begin() as session:
        pay = _case(session, emily, boe, "pay_contract", "Pay slip is wrong")
        harassment = _case(session, kenji, boe, "harassment", SECRET_SUBJECT)
    return World(emily, kenji, pay, harassment)


def _notify(sessions: Sessions, user: int, message: Message, case_id: int | None) -> int:
    with sessions.begin() as session:
        [row] = notify(session, [user], kind="case_update", message=message, case_id=case_id)
        session.flush()
        return row.id


def _emailed_at(sessions: Sessions) -> dict[int, datetime | None]:
    with sessions() as session:
        rows = session.execute(select(Notification.id, Notification.emailed_at)).all()
        return {notice_id: at for notice_id, at in rows}


def _smtp(settings: Settings, port: int, **more: object) -> Settings:
    return settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port, **more})


def test_each_pending_notice_is_emailed_once_in_its_reader_s_language(
    sessions: Sessions, settings: Settings, world: World, sink: tuple[Sink, int]
) -> None:
    handler, port = sink
    english = _notify(sessions, world.emily, Message(REPLY, {"case_id": world.pay_case}), None)
    # Any catalog message will do to show the Japanese reader gets Japanese.
    japanese = _notify(sessions, world.kenji, Message("Wrote {path}", {"path": "a.csv"}), None)

    sent = deliver_pending_emails(sessions, _smtp(settings, port), now=NOW)

    assert sent == 2
    mails = handler.by_recipient()
    assert set(mails) == {"emily@example.org", "kenji@example.org"}
    en = mails["emily@example.org"]
    assert en["From"] == "altmatch@localhost"
    assert en["Subject"] == f"altmatch: Your support case #{world.pay_case} has a reply."
    assert f"Your support case #{world.pay_case} has a reply." in body(en)
    ja = mails["kenji@example.org"]
    assert "a.csvに書き出しました" in str(ja["Subject"])
    assert "a.csvに書き出しました" in body(ja)
    assert "Wrote" not in body(ja)
    assert _emailed_at(sessions) == {english: NOW, japanese: NOW}

    assert deliver_pending_emails(sessions, _smtp(settings, port), now=NOW) == 0
    assert len(handler.received) == 2  # nothing is sent twice


def test_a_case_notice_links_to_the_case_page_by_a_relative_path(
    sessions: Sessions, settings: Settings, world: World, sink: tuple[Sink, int]
) -> None:
    handler, port = sink
    message = Message(REPLY, {"case_id": world.pay_case})
    _notify(sessions, world.emily, message, world.pay_case)
    assert deliver_pending_emails(sessions, _smtp(settings, port), now=NOW) == 1
    [mail] = handler.received
    link = render(Message(CASE_LINK, {"path": f"/cases/{world.pay_case}"}), "en")
    assert link == f"Sign in to altmatch and open /cases/{world.pay_case} to read it."
    assert link in body(mail)


def test_a_confidential_case_s_email_says_only_that_there_is_an_update(
    sessions: Sessions, settings: Settings, world: World, sink: tuple[Sink, int]
) -> None:
    handler, port = sink
    case = world.harassment_case
    # Even a notice that quoted the case's subject is not repeated in the e-mail.
    leaky = Message("Strength: {detail}", {"detail": SECRET_SUBJECT})
    _notify(sessions, world.kenji, leaky, case)
    assert deliver_pending_emails(sessions, _smtp(settings, port), now=NOW) == 1
    [mail] = handler.received
    raw = mail.as_string() + body(mail) + str(mail["Subject"])
    for secret in (SECRET_SUBJECT, "Tanaka", SECRET_DESCRIPTION, "staff room", "強み"):
        assert secret not in raw
    assert f"#{case}" in str(mail["Subject"])
    assert f"#{case}" in body(mail)
    assert f"/cases/{case}" in body(mail)


def test_without_an_smtp_host_nothing_is_sent_and_notices_stay_pending(
    sessions: Sessions, settings: Settings, world: World
) -> None:
    notice = _notify(sessions, world.emily, Message(REPLY, {"case_id": world.pay_case}), None)
    assert settings.smtp_host is None
    run = send_pending_emails(sessions, settings, now=NOW)
    assert (run.configured, run.sent, run.failed) == (False, 0, [])
    assert deliver_pending_emails(sessions, settings, now=NOW) == 0
    assert _emailed_at(sessions) == {notice: None}


def test_a_refused_notice_stays_pending_while_the_rest_go_and_is_sent_on_the_next_run(
    sessions: Sessions, settings: Settings, world: World, sink: tuple[Sink, int]
) -> None:
    handler, port = sink
    handler.refuse.add("emily@example.org")
    refused = _notify(sessions, world.emily, Message(REPLY, {"case_id": 1}), None)
    accepted = _notify(sessions, world.kenji, Message(REPLY, {"case_id": 2}), None)

    run = send_pending_emails(sessions, _smtp(settings, port), now=NOW)

    assert run.sent == 1
    assert [f.notification_id for f in run.failed] == [refused]
    assert "550" in run.failed[0].error
    assert _emailed_at(sessions) == {refused: None, accepted: NOW}

    handler.refuse.clear()
    later = NOW + timedelta(minutes=10)
    assert deliver_pending_emails(sessions, _smtp(settings, port), now=later) == 1
    assert _emailed_at(sessions) == {refused: later, accepted: NOW}
    assert [str(m["To"]) for m in handler.received] == ["kenji@example.org", "emily@example.org"]


def test_an_unreachable_server_fails_the_batch_quietly_and_nothing_is_marked(
    sessions: Sessions, settings: Settings, world: World
) -> None:
    first = _notify(sessions, world.emily, Message(REPLY, {"case_id": 1}), None)
    second = _notify(sessions, world.kenji, Message(REPLY, {"case_id": 2}), None)
    run = send_pending_emails(sessions, _smtp(settings, free_port()), now=NOW)  # nobody listens
    assert run.sent == 0
    assert [f.notification_id for f in run.failed] == [first, second]
    assert _emailed_at(sessions) == {first: None, second: None}


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_the_configured_login_is_used(sessions: Sessions, settings: Settings, world: World) -> None:
    handler = Sink()
    port = free_port()
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=port,
        authenticator=handler.authenticate,
        auth_require_tls=False,
        auth_required=True,
    )
    controller.start()
    try:
        notice = _notify(sessions, world.emily, Message(REPLY, {"case_id": 1}), None)
        run = send_pending_emails(sessions, _smtp(settings, port), now=NOW)  # no login given
        assert run.sent == 0 and run.failed[0].notification_id == notice
        assert "530" in run.failed[0].error  # authentication required
        right = _smtp(settings, port, smtp_username="altmatch", smtp_password="s3cret")
        assert deliver_pending_emails(sessions, right, now=NOW) == 1
    finally:
        controller.stop()
    assert handler.logins == [(b"altmatch", b"s3cret")]
    assert len(handler.received) == 1


@pytest.fixture
def certificate(tmp_path: Path) -> Path:
    """A self-signed certificate for 127.0.0.1 (key and certificate in one PEM file)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is not installed")
    pem = tmp_path / "sink.pem"
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(pem),
            "-out",
            str(tmp_path / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )
    pem.write_text(pem.read_text() + (tmp_path / "cert.pem").read_text())
    return pem


def test_starttls_upgrades_the_connection_and_checks_the_certificate(
    sessions: Sessions,
    settings: Settings,
    world: World,
    certificate: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    handler = Sink()
    port = free_port()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificate)
    controller = Controller(
        handler, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True
    )
    controller.start()
    try:
        _notify(sessions, world.emily, Message(REPLY, {"case_id": 1}), None)
        tls = _smtp(settings, port, smtp_starttls=True)
        # A certificate nobody vouches for is refused: nothing is sent in the clear instead.
        untrusted = send_pending_emails(sessions, tls, now=NOW)
        assert untrusted.sent == 0 and "CERTIFICATE" in untrusted.failed[0].error.upper()
        monkeypatch.setenv("SSL_CERT_FILE", str(certificate))
        assert deliver_pending_emails(sessions, tls, now=NOW) == 1
    finally:
        controller.stop()
    assert len(handler.received) == 1


def test_the_send_emails_command_sends_reports_and_exits_1_when_one_failed(
    sessions: Sessions,
    settings: Settings,
    world: World,
    sink: tuple[Sink, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    handler, port = sink
    monkeypatch.setenv("ALTMATCH_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("ALTMATCH_DATA_DIR", str(settings.data_dir))
    app = typer.Typer()
    support_email.register(app)
    refused = _notify(sessions, world.emily, Message(REPLY, {"case_id": 1}), None)
    _notify(sessions, world.kenji, Message(REPLY, {"case_id": 2}), None)

    unset = CliRunner().invoke(app, ["send-emails"])
    assert unset.exit_code == 0 and "ALTMATCH_SMTP_HOST is not set" in unset.output
    assert handler.received == []

    monkeypatch.setenv("ALTMATCH_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("ALTMATCH_SMTP_PORT", str(port))
    handler.refuse.add("emily@example.org")
    result = CliRunner().invoke(app, ["send-emails"])
    assert result.exit_code == 1
    assert "Sent 1 e-mail(s); 1 failed." in result.output
    assert f"notification {refused}:" in result.output
    handler.refuse.clear()
    again = CliRunner().invoke(app, ["send-emails"])
    assert again.exit_code == 0 and "Sent 1 e-mail(s); 0 failed." in again.output


def test_a_malformed_notice_still_sends_a_neutral_e_mail(
    sessions: Sessions, settings: Settings, world: World, sink: tuple[Sink, int]
) -> None:
    handler, port = sink
    malformed = _notify(sessions, world.kenji, Message(REPLY, {}), None)  # no case_id given
    good = _notify(sessions, world.emily, Message(REPLY, {"case_id": 1}), None)

    assert deliver_pending_emails(sessions, _smtp(settings, port), now=NOW) == 2

    mails = handler.by_recipient()
    neutral = render("There is a new notice for you in altmatch.", "ja")
    assert neutral in body(mails["kenji@example.org"])
    assert "#1" in body(mails["emily@example.org"])
    assert _emailed_at(sessions) == {malformed: NOW, good: NOW}
