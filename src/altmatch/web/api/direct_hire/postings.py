"""Direct hire as JSON: the public jobs board, a BoE's postings and applications, and an
applicant's own applications (twins of /postings, /boe/postings and /my/applications)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from altmatch.rulebook.vocabulary import Jlpt, SchoolLevel
from altmatch.services.direct_hire.applications import (
    ApplyIn,
    BoePostingOut,
    DeclaredIn,
    EligibilityOut,
    HirePreviewOut,
    IneligibleError,
    MoveIn,
    MyApplicationOut,
    MyApplicationsOut,
    PostingApplicationOut,
    VersionIn,
    apply_to_posting,
    boe_posting_detail,
    check_eligibility,
    move_application,
    my_applications,
    preview_hire,
    unmet_out,
    withdraw_application,
)
from altmatch.services.direct_hire.postings import (
    BoePostingsOut,
    PostingFields,
    PostingOut,
    PublicPostingOut,
    PublicPostingsOut,
    close_posting,
    create_posting,
    get_open_posting,
    list_boe_postings,
    list_open_postings,
)
from altmatch.web.api.params import Id
from altmatch.web.auth import PostingApplicantDep, PostingManagerDep
from altmatch.web.deps import SessionsDep
from altmatch.web.locale import LocaleDep

router = APIRouter(tags=["direct hire"])


@router.get("/postings", response_model=PublicPostingsOut)
def get_postings(
    sessions: SessionsDep,
    locale: LocaleDep,
    prefecture: str | None = None,
    school_level: SchoolLevel | None = None,
    jlpt: Jlpt | None = None,
) -> PublicPostingsOut:
    """Open direct-hire postings (no sign-in); `jlpt` is your level: postings asking for more
    are left out."""
    return list_open_postings(
        sessions, locale=locale, prefecture=prefecture, school_level=school_level, jlpt=jlpt
    )


@router.get("/postings/{posting_id}", response_model=PublicPostingOut)
def get_posting(posting_id: Id, sessions: SessionsDep, locale: LocaleDep) -> PublicPostingOut:
    """One open posting (404 once closed or past its closing date)."""
    return get_open_posting(sessions, posting_id, locale=locale)


@router.post("/postings/{posting_id}/eligibility", response_model=EligibilityOut)
def post_eligibility(
    posting_id: Id,
    body: DeclaredIn,
    actor: PostingApplicantDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> EligibilityOut:
    """Check your declared facts against the posting's requirements, each unmet one with a
    reason and a fix, before applying."""
    return check_eligibility(sessions, actor, posting_id, body, locale=locale)


@router.post(
    "/postings/{posting_id}/applications",
    response_model=MyApplicationOut,
    status_code=201,
    responses={422: {"description": "Not eligible (one detail per unmet requirement)."}},
)
def post_application(
    posting_id: Id,
    body: ApplyIn,
    actor: PostingApplicantDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> MyApplicationOut | JSONResponse:
    """Apply with your declared facts; refused (422) naming each unmet requirement, or when
    you have applied already."""
    try:
        return apply_to_posting(sessions, actor, posting_id, body, locale=locale)
    except IneligibleError as exc:
        detail = [
            {"loc": ["body", u.requirement], "msg": u.reason, "fix": u.fix, "type": "value_error"}
            for u in unmet_out(exc.unmet, locale)
        ]
        return JSONResponse({"detail": detail}, status_code=422)


@router.get("/boe/postings", response_model=BoePostingsOut)
def get_boe_postings(
    actor: PostingManagerDep, sessions: SessionsDep, locale: LocaleDep
) -> BoePostingsOut:
    """Your BoE's postings with application counts by stage."""
    return list_boe_postings(sessions, actor, locale=locale)


@router.post("/boe/postings", response_model=PostingOut, status_code=201)
def post_boe_posting(
    body: PostingFields, actor: PostingManagerDep, sessions: SessionsDep, locale: LocaleDep
) -> PostingOut:
    """Post an opening; pay must lie within the rulebook's direct-hire range."""
    return create_posting(sessions, actor, body, locale=locale)


@router.get("/boe/postings/{posting_id}", response_model=BoePostingOut)
def get_boe_posting(
    posting_id: Id, actor: PostingManagerDep, sessions: SessionsDep, locale: LocaleDep
) -> BoePostingOut:
    """One of your postings with its applications, declared facts, eligibility and history."""
    return boe_posting_detail(sessions, actor, posting_id, locale=locale)


@router.post("/boe/postings/{posting_id}/close", response_model=PostingOut)
def post_close_posting(
    posting_id: Id,
    body: VersionIn,
    actor: PostingManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> PostingOut:
    """Close one of your postings to new applications (409 if `version` is stale)."""
    return close_posting(sessions, actor, posting_id, version=body.version, locale=locale)


@router.post(
    "/boe/postings/{posting_id}/applications/{application_id}/stage",
    response_model=PostingApplicationOut,
)
def post_stage(
    posting_id: Id,
    application_id: Id,
    body: MoveIn,
    actor: PostingManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> PostingApplicationOut:
    """Move an application one stage on or reject it; "hired" creates the employment
    contract (409 if `version` is stale)."""
    return move_application(sessions, actor, posting_id, application_id, body, locale=locale)


@router.post(
    "/boe/postings/{posting_id}/applications/{application_id}/hire-preview",
    response_model=HirePreviewOut,
)
def post_hire_preview(
    posting_id: Id,
    application_id: Id,
    body: VersionIn,
    actor: PostingManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> HirePreviewOut:
    """What hiring the applicant would do (the confirmation step): the posting, the start and
    end of the contract, and which other applicants are told they were not chosen. Changes
    nothing."""
    return preview_hire(
        sessions, actor, posting_id, application_id, version=body.version, locale=locale
    )


@router.get("/me/applications", response_model=MyApplicationsOut)
def get_my_applications(
    actor: PostingApplicantDep, sessions: SessionsDep, locale: LocaleDep
) -> MyApplicationsOut:
    """Your applications to direct-hire postings with their stage history."""
    return my_applications(sessions, actor, locale=locale)


@router.post("/me/applications/{application_id}/withdraw", response_model=MyApplicationOut)
def post_withdraw(
    application_id: Id,
    body: VersionIn,
    actor: PostingApplicantDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> MyApplicationOut:
    """Withdraw your open application (409 if `version` is stale)."""
    return withdraw_application(
        sessions, actor, application_id, version=body.version, locale=locale
    )
