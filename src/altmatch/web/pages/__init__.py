"""Server-rendered pages (Jinja2 + htmx); each renders the same read model as its API twin."""

from __future__ import annotations

from fastapi import APIRouter

from altmatch.web.pages import home, my_placement
from altmatch.web.pages.accounts import account, email, schools, sign_in
from altmatch.web.pages.administration import audit as admin_audit
from altmatch.web.pages.administration import organisations as admin_organisations
from altmatch.web.pages.administration import users as admin_users
from altmatch.web.pages.advice import advisor, paths
from altmatch.web.pages.direct_hire import postings
from altmatch.web.pages.dispatch import assignment as dispatch_assignment
from altmatch.web.pages.dispatch import compliance as dispatch_compliance
from altmatch.web.pages.dispatch import contract_health as dispatch_contract_health
from altmatch.web.pages.dispatch import contracts as dispatch_contracts
from altmatch.web.pages.dispatch import coverage as dispatch_coverage
from altmatch.web.pages.dispatch import renewal as dispatch_renewal
from altmatch.web.pages.dispatch import survey_answer as dispatch_survey_answer
from altmatch.web.pages.dispatch import surveys as dispatch_surveys
from altmatch.web.pages.dispatch import transfers
from altmatch.web.pages.season import assessing as season_assessing
from altmatch.web.pages.season import boe as season_boe
from altmatch.web.pages.season import candidate as season_candidate
from altmatch.web.pages.season import interview_round as season_interview_round
from altmatch.web.pages.season import interviews as season_interviews
from altmatch.web.pages.season import jobs as season_jobs
from altmatch.web.pages.season import publication as season_publication
from altmatch.web.pages.season import recruitment as season_recruitment
from altmatch.web.pages.season import request_new as season_request_new
from altmatch.web.pages.season import screening as season_screening
from altmatch.web.pages.season import seasons
from altmatch.web.pages.season import shortlist as season_shortlist
from altmatch.web.pages.season import stages as season_stages
from altmatch.web.pages.support import admin as support_admin
from altmatch.web.pages.support import cases as support_cases

pages_router = APIRouter(include_in_schema=False)
pages_router.include_router(home.router)
pages_router.include_router(advisor.router)
pages_router.include_router(paths.router)
pages_router.include_router(admin_users.router)
pages_router.include_router(admin_organisations.router)
pages_router.include_router(admin_audit.router)
pages_router.include_router(sign_in.router)
pages_router.include_router(account.router)
pages_router.include_router(email.router)
pages_router.include_router(seasons.router)
pages_router.include_router(season_request_new.router)  # before /requests/{id}
pages_router.include_router(season_boe.router)
pages_router.include_router(season_candidate.router)
pages_router.include_router(season_interviews.router)
pages_router.include_router(season_interview_round.router)
pages_router.include_router(season_assessing.router)
pages_router.include_router(season_shortlist.router)
pages_router.include_router(season_jobs.router)
pages_router.include_router(season_publication.router)
pages_router.include_router(season_stages.router)
pages_router.include_router(season_recruitment.router)
pages_router.include_router(season_screening.router)
pages_router.include_router(schools.router)
pages_router.include_router(my_placement.router)
pages_router.include_router(dispatch_contracts.router)
pages_router.include_router(dispatch_assignment.router)
pages_router.include_router(dispatch_coverage.router)
pages_router.include_router(dispatch_compliance.router)
pages_router.include_router(dispatch_contract_health.router)
pages_router.include_router(dispatch_renewal.router)
pages_router.include_router(dispatch_surveys.router)
pages_router.include_router(dispatch_survey_answer.router)
pages_router.include_router(transfers.router)
pages_router.include_router(postings.router)
pages_router.include_router(support_cases.router)
pages_router.include_router(support_admin.router)
