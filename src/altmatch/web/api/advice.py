"""POST /api/v1/advice: the path advisor as JSON (the twin of the /advisor page)."""

from __future__ import annotations

from fastapi import APIRouter

from altmatch.services.advisor import AdviceOut, give_advice
from altmatch.services.form_options import FormOptionsOut, form_options
from altmatch.services.profile_input import ProfileInput
from altmatch.web.locale import LocaleDep

router = APIRouter(tags=["advisor"])


@router.post("/advice", response_model=AdviceOut)
def post_advice(profile: ProfileInput, locale: LocaleDep) -> AdviceOut:
    """Compare JET, dispatch and direct hire for a profile; 422 lists each bad field.

    Texts are in the request's language (`?lang=ja`, the `lang` cookie or Accept-Language).
    """
    return give_advice(profile, locale=locale)


@router.get("/advice/options", response_model=FormOptionsOut)
def get_advice_options(locale: LocaleDep) -> FormOptionsOut:
    """Allowed values for every profile field, with labels in the request's language."""
    return form_options(locale)
