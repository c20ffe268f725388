"""Account e-mails a request queued are sent once its answer is out (FastAPI background tasks,
which run sync work in the thread pool), so their sending time tells the client nothing."""

from __future__ import annotations

from fastapi import BackgroundTasks, Request

from altmatch.config import Settings
from altmatch.db import Sessions
from altmatch.services.accounts.mail import send_account_mail
from altmatch.services.accounts.users import normalise_email
from altmatch.services.dispatch.survey_links import send_survey_mail


def send_account_mail_after(request: Request, background: BackgroundTasks, email: str) -> None:
    """After the answer, send the account e-mails waiting for `email` (what this request queued;
    an import's invitations are left to the sweep)."""
    sessions: Sessions = request.app.state.sessions
    settings: Settings = request.app.state.settings
    background.add_task(send_account_mail, sessions, settings, email=normalise_email(email))


def send_survey_mail_after(request: Request, background: BackgroundTasks) -> None:
    """After the answer, send the survey e-mails a round just queued."""
    sessions: Sessions = request.app.state.sessions
    settings: Settings = request.app.state.settings
    background.add_task(send_survey_mail, sessions, settings)
