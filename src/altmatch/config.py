"""One validated set of settings, read from ALTMATCH_* environment variables."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

Locale = Literal["en", "ja"]


class Settings(BaseSettings):
    """Everything an installation can set; defaults give a working local SQLite setup."""

    model_config = SettingsConfigDict(env_prefix="ALTMATCH_", extra="ignore", frozen=True)

    data_dir: Path = Field(
        default=Path("var"),
        description="Folder for the embedded SQLite database and other local files.",
    )
    database_url: str = Field(
        default="",
        description="SQLAlchemy URL; empty means SQLite at DATA_DIR/altmatch.sqlite3. "
        "Use postgresql+psycopg://user@host:5432/db for PostgreSQL.",
    )
    host: str = Field(default="127.0.0.1", description="Address `altmatch serve` listens on.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port `altmatch serve` uses.")
    workers: int = Field(
        default=1,
        ge=1,
        le=64,
        description="Web worker processes `altmatch serve` starts behind one port "
        "(more than 1 needs PostgreSQL).",
    )
    default_locale: Locale = Field(default="en", description="Language when none is chosen.")
    rulebook_year: int | None = Field(
        default=None, description="Rulebook edition to use; empty means the newest one."
    )
    session_lifetime_hours: float = Field(
        default=12,
        gt=0,
        le=24 * 30,
        description="How long a sign-in lasts; the session then expires whatever the activity.",
    )
    secure_cookies: Literal["auto", "always", "never"] = Field(
        default="auto",
        description="Mark the session cookie Secure: `auto` when the request came over HTTPS; "
        "set `always` behind a proxy that terminates TLS.",
    )
    allowed_hosts: Annotated[list[str], NoDecode] = Field(
        default=["127.0.0.1", "localhost", "::1"],
        description="Host names the server answers to, comma-separated (`*.example.jp` matches "
        "subdomains; `*` any host, which is unsafe); a request naming another `Host` gets 400. "
        "`ALTMATCH_HOST` is added when it names one address.",
    )
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default=[],
        description="Addresses or networks (CIDR) of reverse proxies, comma-separated, whose "
        "`X-Forwarded-For` and `X-Forwarded-Proto` are believed; empty believes no one, so the "
        "client address is the connection's.",
    )
    request_max_bytes: int = Field(
        default=1024 * 1024,
        ge=1024,
        description="Largest request body, in bytes, of every route but the file uploads "
        "(which take `ALTMATCH_IMPORT_MAX_BYTES` plus their form); a larger one gets 413 "
        "before it is read.",
    )
    sign_up_window_minutes: int = Field(
        default=60, ge=1, description="Window in which sign-up tries are counted."
    )
    sign_up_max_per_email: int = Field(
        default=3, ge=1, description="Sign-up tries for one email within the sign-up window."
    )
    sign_up_max_per_ip: int = Field(
        default=10, ge=1, description="Sign-up tries from one address within the sign-up window."
    )
    lock_wait_seconds: float = Field(
        default=5.0,
        gt=0,
        le=300,
        description="How long a change waits for another change holding the rows or the "
        "database it needs (SQLite's busy timeout, PostgreSQL's lock_timeout) before it is "
        'answered 503 "busy, try again"; so a long import cannot make requests hang.',
    )
    login_window_minutes: int = Field(
        default=15, ge=1, description="Window in which failed sign-ins are counted."
    )
    login_max_failures_per_email: int = Field(
        default=5, ge=1, description="Failed sign-ins for one email within the window."
    )
    login_max_failures_per_ip: int = Field(
        default=20, ge=1, description="Failed sign-ins from one address within the window."
    )
    staff_two_factor: Literal["optional", "required"] = Field(
        default="optional",
        description="TOTP second factor for staff (administrators, coordinators, BoE and "
        "company staff) and interview assessors: `optional` lets each turn it on; "
        "`required` lets one without it do nothing but set it up.",
    )
    import_max_bytes: int = Field(
        default=50 * 1024 * 1024,
        ge=1024,
        description="Largest file an import accepts, in bytes.",
    )
    import_max_rows: int = Field(
        default=200_000, ge=1, description="Most data rows an imported table may have."
    )
    import_max_unzipped_bytes: int = Field(
        default=200 * 1024 * 1024,
        ge=1024,
        description="Most bytes an XLSX file may unpack to (guards against zip bombs).",
    )
    redis_url: str | None = Field(
        default=None,
        description="Redis URL (redis://127.0.0.1:6379/0) of the job queue that "
        "`altmatch worker` processes serve; unset runs jobs inside the web process.",
    )
    job_lease_seconds: float = Field(
        default=60,
        gt=0,
        description="A running job silent for this long is taken to be dead and is failed, "
        "so it can be run again.",
    )
    support_sweep_minutes: float = Field(
        default=5,
        ge=0,
        description="How often `altmatch serve` escalates overdue support cases, e-mails "
        "pending notices and purges kept personal records whose retention has ended (0: never; "
        "use `altmatch support escalate`, `send-emails` and `altmatch privacy purge` instead).",
    )
    smtp_host: str | None = Field(
        default=None,
        description="SMTP server for e-mail notifications; unset sends none (in-app only).",
    )
    smtp_port: int = Field(default=25, ge=1, le=65535, description="SMTP server port.")
    smtp_sender: str = Field(
        default="altmatch@localhost",
        description="From address of every e-mail altmatch sends (notices and account e-mails).",
    )
    smtp_starttls: bool = Field(default=False, description="Upgrade the SMTP connection (TLS).")
    smtp_username: str | None = Field(default=None, description="SMTP login, if required.")
    smtp_password: str | None = Field(default=None, description="SMTP password, if required.")
    mail_sink: Path | None = Field(
        default=None,
        description="Folder where account e-mails (address confirmations, invitations) are "
        "written, one `.eml` file each, while `ALTMATCH_SMTP_HOST` is unset; empty means "
        "DATA_DIR/mail. For development and the demo: `altmatch mail list` and `altmatch mail "
        "show` read it. Its files hold live links: never use it in production.",
    )
    public_url: str = Field(
        default="",
        description="The address people open altmatch at, e.g. `https://alt.example.jp`; the "
        "links in account e-mails start with it. Empty means `http://HOST:PORT`.",
    )
    email_link_hours: float = Field(
        default=48,
        gt=0,
        le=24 * 30,
        description="How long a link that confirms an e-mail address (sent at sign-up, on "
        "request, or to an address that tried to sign up again) stays valid.",
    )
    invitation_days: float = Field(
        default=30,
        gt=0,
        le=365,
        description="How long the link in an invitation, sent to the address of an imported "
        "application that no confirmed account holds, stays valid.",
    )
    mail_sweep_seconds: float = Field(
        default=30,
        ge=0,
        description="How often `altmatch serve` sends the account e-mails still waiting (an "
        "import's invitations, a send that failed); 0: never, use `altmatch mail send` instead.",
    )

    @field_validator("allowed_hosts", "trusted_proxies", mode="before")
    @classmethod
    def _split_list(cls, value: object) -> object:
        """`a, b` from the environment is the list [a, b]; an empty value is the empty list."""
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        """Each proxy is an address or a network, written canonically (10.0.0.1 is 10.0.0.1/32)."""
        try:
            return [str(ipaddress.ip_network(item, strict=False)) for item in value]
        except ValueError as exc:
            raise ValueError(f"not an address or network: {exc}") from None

    @model_validator(mode="after")
    def _default_sqlite(self) -> Settings:
        if not self.database_url:
            sqlite_path = (self.data_dir / "altmatch.sqlite3").resolve()
            object.__setattr__(self, "database_url", f"sqlite:///{sqlite_path}")
        return self

    @property
    def mail_folder(self) -> Path:
        """Where account e-mails are written while no SMTP server is set."""
        return self.mail_sink or self.data_dir / "mail"

    @property
    def site_url(self) -> str:
        """The start of every link in an e-mail, without a trailing slash."""
        host = f"[{self.host}]" if ":" in self.host else self.host  # an IPv6 address
        return (self.public_url or f"http://{host}:{self.port}").rstrip("/")

    @property
    def safe_database_url(self) -> str:
        """The database URL with any password hidden, for logs and messages."""
        from sqlalchemy.engine import make_url

        return make_url(self.database_url).render_as_string(hide_password=True)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
