"""`altmatch users` and `altmatch orgs`: the operator creates tenants and accounts, resets them."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from altmatch.cli import app
from altmatch.config import Settings
from altmatch.db import make_engine, session_factory
from altmatch.services.accounts.authentication import SignInError, resolve_session, sign_in

runner = CliRunner()
PASSWORD = "correct horse battery"


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("ALTMATCH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ALTMATCH_DATABASE_URL", "")
    return Settings()


def run(*args: str, input: str | None = None, code: int = 0) -> str:
    result = runner.invoke(app, list(args), input=input)
    assert result.exit_code == code, result.output
    return result.output


def check_password(settings: Settings, email: str, password: str) -> str:
    engine = make_engine(settings)
    try:
        return sign_in(session_factory(engine), email=email, password=password, ip="cli").token
    finally:
        engine.dispose()


def test_the_operator_creates_a_programme_and_a_boe_in_it(settings: Settings) -> None:
    assert "created organisation 1" in run(
        "orgs", "create", "--kind", "programme", "--name-en", "JET", "--name-ja", "JETプログラム"
    )
    run(
        "orgs", "create", "--kind", "boe", "--name-en", "Kobe City BoE",
        "--name-ja", "神戸市教育委員会", "--prefecture", "Hyogo", "--municipality", "Kobe",
        "--programme", "1",
    )  # fmt: skip
    lines = run("orgs", "list").splitlines()
    assert lines == [
        "1\tprogramme\t-\tJET\tJETプログラム",
        "2\tboe\t1\tKobe City BoE\t神戸市教育委員会",
    ]


def test_a_company_cannot_join_a_programme(settings: Settings) -> None:
    run("orgs", "create", "--kind", "programme", "--name-en", "JET", "--name-ja", "JET")
    output = run(
        "orgs", "create", "--kind", "company", "--name-en", "S", "--name-ja", "S",
        "--programme", "1", code=2,
    )  # fmt: skip
    assert "error: programme_id: Only a Board of Education takes part in a programme." in output


def test_a_user_is_created_with_a_password_from_stdin_and_can_sign_in(settings: Settings) -> None:
    run("orgs", "create", "--kind", "programme", "--name-en", "JET", "--name-ja", "JET")
    output = run(
        "users", "create", "--email", "Coord@Example.org", "--name", "Hana Sato",
        "--role", "coordinator", "--organisation", "1", "--password-stdin",
        input=PASSWORD + "\n",
    )  # fmt: skip
    assert "created user 1: coord@example.org (coordinator)" in output
    assert run("users", "list").splitlines() == [
        "1\tcoord@example.org\tcoordinator\t1\tactive\tHana Sato"
    ]
    assert check_password(settings, "coord@example.org", PASSWORD)


def test_without_stdin_the_password_is_asked_twice_and_hidden(settings: Settings) -> None:
    output = run(
        "users", "create", "--email", "root@example.org", "--name", "Root", "--role", "admin",
        input=f"{PASSWORD}\nsomething else\n{PASSWORD}\n{PASSWORD}\n",
    )  # fmt: skip
    assert "do not match" in output and PASSWORD not in output
    assert check_password(settings, "root@example.org", PASSWORD)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--role", "boe_staff"], "organisation_id: This role belongs to an organisation"),
        (["--role", "candidate", "--email", "bad"], "email: Enter a valid email address."),
    ],
)
def test_a_bad_user_is_refused_with_the_field_named(
    settings: Settings, extra: list[str], message: str
) -> None:
    args = ["users", "create", "--email", "a@example.org", "--name", "A", "--password-stdin"]
    output = run(*args, *extra, input=PASSWORD + "\n", code=2)
    assert message in output


def test_a_short_password_is_refused(settings: Settings) -> None:
    output = run(
        "users", "create", "--email", "a@example.org", "--name", "A", "--role", "admin",
        "--password-stdin", input="short\n", code=2,
    )  # fmt: skip
    assert "password: Use at least 10 characters." in output


def test_an_unknown_role_is_refused_by_the_command_line(settings: Settings) -> None:
    output = run(
        "users", "create", "--email", "a@example.org", "--name", "A", "--role", "root",
        "--password-stdin", input=PASSWORD + "\n", code=2,
    )  # fmt: skip
    assert "root" in output


def test_reset_password_ends_the_users_sessions(settings: Settings) -> None:
    run(
        "users", "create", "--email", "a@example.org", "--name", "A", "--role", "admin",
        "--password-stdin", input=PASSWORD + "\n",
    )  # fmt: skip
    token = check_password(settings, "a@example.org", PASSWORD)
    output = run(
        "users", "reset-password", "A@example.org", "--password-stdin", input="a new passphrase\n"
    )
    assert "password reset for a@example.org" in output
    engine = make_engine(settings)
    try:
        assert resolve_session(session_factory(engine), token) is None
    finally:
        engine.dispose()
    with pytest.raises(SignInError):
        check_password(settings, "a@example.org", PASSWORD)
    assert check_password(settings, "a@example.org", "a new passphrase")
    unknown = ("users", "reset-password", "x@y.org", "--password-stdin")
    assert "no account" in run(*unknown, input=PASSWORD + "\n", code=2)


def test_disable_and_enable_control_signing_in(settings: Settings) -> None:
    run(
        "users", "create", "--email", "a@example.org", "--name", "A", "--role", "admin",
        "--password-stdin", input=PASSWORD + "\n",
    )  # fmt: skip
    assert "a@example.org is now disabled" in run("users", "disable", "a@example.org")
    assert "\tdisabled\t" in run("users", "list")
    with pytest.raises(SignInError):
        check_password(settings, "a@example.org", PASSWORD)
    run("users", "enable", "a@example.org")
    assert check_password(settings, "a@example.org", PASSWORD)
