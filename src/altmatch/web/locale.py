"""Which language a request wants: ?lang=, then the `lang` cookie, then Accept-Language."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from altmatch.config import Settings
from altmatch.i18n import normalize_locale

LANG_COOKIE = "lang"


def request_locale(request: Request) -> str:
    settings: Settings = request.app.state.settings
    chosen = normalize_locale(request.query_params.get("lang")) or normalize_locale(
        request.cookies.get(LANG_COOKIE)
    )
    if chosen:
        return chosen
    for part in request.headers.get("accept-language", "").split(","):
        found = normalize_locale(part.split(";")[0])
        if found:
            return found
    return settings.default_locale


LocaleDep = Annotated[str, Depends(request_locale)]
