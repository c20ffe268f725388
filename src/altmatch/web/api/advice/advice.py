"""POST /api/v1/advice: the path advisor as JSON (the twin of the /advisor page)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException

from altmatch.services.advice.advisor import (
    AdviceOut,
    give_advice,
    link_measured_support,
    link_postings,
)
from altmatch.services.advice.form_options import FormOptionsOut, form_options
from altmatch.services.advice.profile_input import ProfileInput
from altmatch.services.advice.saved_advice import SavedAdviceOut, open_saved_advice, save_advice
from altmatch.web.deps import SessionsDep
from altmatch.web.locale import LocaleDep

router = APIRouter(tags=["advisor"])


@router.post("/advice", response_model=AdviceOut)
def post_advice(profile: ProfileInput, locale: LocaleDep, sessions: SessionsDep) -> AdviceOut:
    """Compare JET, dispatch and direct hire for a profile; 422 lists each bad field.

    Texts are in the request's language (`?lang=ja`, the `lang` cookie or Accept-Language).
    When direct hire is open to the profile, its `postings` lists the open direct-hire
    postings whose requirements the profile meets (links to /postings/{id}).
    """
    return give_advice(profile, locale=locale, sessions=sessions)


@router.get("/advice/options", response_model=FormOptionsOut)
def get_advice_options(locale: LocaleDep) -> FormOptionsOut:
    """Allowed values for every profile field, with labels in the request's language."""
    return form_options(locale)


@router.post("/advice/saved", response_model=SavedAdviceOut, status_code=201)
def post_saved_advice(
    profile: ProfileInput, locale: LocaleDep, sessions: SessionsDep
) -> SavedAdviceOut:
    """Save a comparison; the returned token opens it again (GET /advice/saved/{token})."""
    return save_advice(sessions, profile, locale=locale)


@router.get("/advice/saved/{token}", response_model=SavedAdviceOut)
def get_saved_advice(token: str, locale: LocaleDep, sessions: SessionsDep) -> SavedAdviceOut:
    """A saved comparison, recomputed with the rulebook edition it was saved under."""
    saved = open_saved_advice(sessions, token, locale=locale)
    if saved is None:
        raise HTTPException(status_code=404, detail="no saved comparison with that token")
    link_postings(saved.advice, saved.profile, sessions, locale=locale)
    link_measured_support(saved.advice, sessions, locale=locale)
    return saved
