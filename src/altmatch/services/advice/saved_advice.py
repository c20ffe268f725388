"""Save a comparison under an unguessable link, and reopen it later with the same rulebook."""

from __future__ import annotations

from pydantic import BaseModel

from altmatch.db import Sessions
from altmatch.db.saved_advice import add_saved_advice, get_saved_advice
from altmatch.rulebook import load_rulebook
from altmatch.services.advice.advisor import AdviceOut, give_advice
from altmatch.services.advice.profile_input import ProfileInput


class SavedAdviceOut(BaseModel):
    """A saved comparison: the token is the only key, so only people given the link see it."""

    token: str
    profile: ProfileInput
    advice: AdviceOut


def save_advice(sessions: Sessions, profile: ProfileInput, *, locale: str) -> SavedAdviceOut:
    """Store the profile (not the result): reopening recomputes with the same rulebook edition."""
    rulebook = load_rulebook()
    with sessions.begin() as session:
        row = add_saved_advice(
            session,
            profile=profile.model_dump(mode="json"),
            rulebook_year=rulebook.year,
            locale=locale,
        )
        token = row.token
    return SavedAdviceOut(
        token=token, profile=profile, advice=give_advice(profile, locale=locale, rulebook=rulebook)
    )


def open_saved_advice(sessions: Sessions, token: str, *, locale: str) -> SavedAdviceOut | None:
    """The saved comparison behind `token`, or None when there is none."""
    with sessions() as session:
        row = get_saved_advice(session, token)
        if row is None:
            return None
        profile = ProfileInput.model_validate(row.profile)
        year = row.rulebook_year
    advice = give_advice(profile, locale=locale, rulebook=load_rulebook(year))
    return SavedAdviceOut(token=token, profile=profile, advice=advice)
