"""Accounts for API tests: one organisation of each kind and a signed-in user for any role."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from fastapi.testclient import TestClient
from tests.api.helpers import PASSWORD, MakeAccount

from altmatch.db import Sessions
from altmatch.domain.access import OPERATOR, ROLE_ORG_KIND, OrgKind, Role
from altmatch.services.accounts.users import create_organisation, create_user


@pytest.fixture
def sessions(client: TestClient) -> Sessions:
    app_sessions: Sessions = client.app.state.sessions  # type: ignore[attr-defined]
    return app_sessions


@pytest.fixture
def tenants(sessions: Sessions) -> Mapping[OrgKind, int]:
    programme = create_organisation(
        sessions, actor=OPERATOR, kind=OrgKind.PROGRAMME, name_en="JET", name_ja="JETプログラム"
    )
    boe = create_organisation(
        sessions,
        actor=OPERATOR,
        kind=OrgKind.BOE,
        name_en="Kobe City BoE",
        name_ja="神戸市教育委員会",
        prefecture="Hyogo",
        programme_id=programme.id,
    )
    company = create_organisation(
        sessions, actor=OPERATOR, kind=OrgKind.COMPANY, name_en="Sakura ALT", name_ja="さくらALT"
    )
    return {OrgKind.PROGRAMME: programme.id, OrgKind.BOE: boe.id, OrgKind.COMPANY: company.id}


@pytest.fixture
def make_account(sessions: Sessions, tenants: Mapping[OrgKind, int]) -> MakeAccount:
    """Create a user with `role` in the organisation of the right kind; returns the email."""

    def make(role: Role, email: str | None = None, name: str = "Emily Carter") -> str:
        kind = ROLE_ORG_KIND[role]
        user = create_user(
            sessions,
            actor=OPERATOR,
            email=email or f"{role.value}@example.org",
            display_name=name,
            role=role,
            password=PASSWORD,
            organisation_id=tenants[kind] if kind else None,
        )
        return user.email

    return make
