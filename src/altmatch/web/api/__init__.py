"""JSON endpoints under /api/v1; each is a thin adapter over one service function."""

from __future__ import annotations

from fastapi import APIRouter

from altmatch.web.api import home
from altmatch.web.api.accounts import admin, email, me, schools, session
from altmatch.web.api.administration import screens as admin_screens
from altmatch.web.api.advice import advice, paths
from altmatch.web.api.direct_hire import postings
from altmatch.web.api.dispatch import assignment as dispatch_assignment
from altmatch.web.api.dispatch import compliance as dispatch_compliance
from altmatch.web.api.dispatch import contract_health as dispatch_contract_health
from altmatch.web.api.dispatch import contracts as dispatch_contracts
from altmatch.web.api.dispatch import coverage as dispatch_coverage
from altmatch.web.api.dispatch import renewal as dispatch_renewal
from altmatch.web.api.dispatch import surveys as dispatch_surveys
from altmatch.web.api.dispatch import transfers
from altmatch.web.api.errors import ERROR_RESPONSES
from altmatch.web.api.season import assessing as season_assessing
from altmatch.web.api.season import interview_round as season_interview_round
from altmatch.web.api.season import interviews as season_interviews
from altmatch.web.api.season import jobs as season_jobs
from altmatch.web.api.season import publication as season_publication
from altmatch.web.api.season import recruitment as season_recruitment
from altmatch.web.api.season import runs as season_runs
from altmatch.web.api.season import seasons
from altmatch.web.api.season import shortlist as season_shortlist
from altmatch.web.api.season import stages as season_stages
from altmatch.web.api.support import cases as support_cases
from altmatch.web.api.support import metrics as support_metrics

api_router = APIRouter(responses=ERROR_RESPONSES)
api_router.include_router(home.router)
api_router.include_router(advice.router)
api_router.include_router(paths.router)
api_router.include_router(session.router)
api_router.include_router(me.router)
api_router.include_router(email.router)
api_router.include_router(admin.router)
api_router.include_router(admin_screens.router)
api_router.include_router(seasons.router)
api_router.include_router(season_runs.router)
api_router.include_router(season_publication.router)
api_router.include_router(season_jobs.router)
api_router.include_router(season_stages.router)
api_router.include_router(season_interviews.router)
api_router.include_router(season_interview_round.router)
api_router.include_router(season_assessing.router)
api_router.include_router(season_shortlist.router)
api_router.include_router(season_recruitment.router)
api_router.include_router(schools.router)
api_router.include_router(dispatch_contracts.router)
api_router.include_router(dispatch_assignment.router)
api_router.include_router(dispatch_coverage.router)
api_router.include_router(dispatch_compliance.router)
api_router.include_router(dispatch_contract_health.router)
api_router.include_router(dispatch_renewal.router)
api_router.include_router(dispatch_surveys.router)
api_router.include_router(transfers.router)
api_router.include_router(postings.router)
api_router.include_router(support_cases.router)
api_router.include_router(support_metrics.router)
