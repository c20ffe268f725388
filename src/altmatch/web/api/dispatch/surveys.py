"""The termly satisfaction surveys as JSON: the company's twin of the surveys page (rounds,
results, contacts, this term's preview), opening a round, recording a school contact; and the
public twin of /survey, reached by the link's token alone."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, BackgroundTasks, Request

from altmatch.services.dispatch.survey_links import (
    SurveyAnswerIn,
    SurveyFormOut,
    SurveyThanksOut,
    answer_survey,
    read_survey,
)
from altmatch.services.dispatch.surveys import (
    ContactIn,
    ContactOut,
    OpenRoundIn,
    RoundOut,
    RoundPreviewOut,
    SurveysOut,
    company_surveys,
    open_round,
    preview_round,
    set_school_contact,
)
from altmatch.web.auth import DispatchManagerDep
from altmatch.web.deps import SessionsDep
from altmatch.web.locale import LocaleDep
from altmatch.web.mail import send_survey_mail_after

router = APIRouter(tags=["dispatch"])


@router.get("/dispatch/surveys", response_model=SurveysOut)
def get_surveys(
    actor: DispatchManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    round_id: int | None = None,
) -> SurveysOut:
    """Your rounds with response rates, the results of `round_id` (default the latest) per
    ALT × school with the ALT's confidential answers, the school contacts, and this term's
    round as a preview."""
    return company_surveys(sessions, actor, round_id=round_id, locale=locale)


@router.get("/dispatch/surveys/preview", response_model=RoundPreviewOut)
def get_survey_preview(
    actor: DispatchManagerDep, sessions: SessionsDep, locale: LocaleDep, on: dt.date | None = None
) -> RoundPreviewOut:
    """Who opening the round of the term `on` falls in (default today) would invite."""
    return preview_round(sessions, actor, on=on, locale=locale)


@router.post("/dispatch/surveys/rounds", response_model=RoundOut, status_code=201)
def post_survey_round(
    body: OpenRoundIn,
    request: Request,
    background: BackgroundTasks,
    actor: DispatchManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> RoundOut:
    """Open the round and send its surveys; `expect` is the preview's count (422 when the
    roster changed since), 409 when the round is open already."""
    out = open_round(sessions, actor, body, locale=locale)
    send_survey_mail_after(request, background)
    return out


@router.post("/dispatch/surveys/contacts", response_model=ContactOut)
def post_survey_contact(
    body: ContactIn, actor: DispatchManagerDep, sessions: SessionsDep
) -> ContactOut:
    """Record whom a position's school survey goes to (404 for another company's position)."""
    return set_school_contact(sessions, actor, body)


@router.get("/survey", response_model=SurveyFormOut)
def get_survey(sessions: SessionsDep, token: str = "", lang: str = "ja") -> SurveyFormOut:
    """The survey a link opens (no sign-in); `valid` false for a used, expired or unknown
    link, with nothing else."""
    return read_survey(sessions, token, locale="en" if lang == "en" else "ja")


@router.post("/survey", response_model=SurveyThanksOut)
def post_survey(body: SurveyAnswerIn, sessions: SessionsDep, token: str = "") -> SurveyThanksOut:
    """Answer the survey of the link's `token`, once (422 naming a missing question; a used,
    expired or unknown link is refused and nothing changes)."""
    return answer_survey(sessions, token, body)
