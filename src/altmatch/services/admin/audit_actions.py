"""What each audit action code means, in words: the audit log is read by administrators and
coordinators (often in Japanese), who should not have to decode `application.stage_moved`.

The log keeps the codes (they are what its filter and JSON twin use); pages show the words
with the code beside them. A code missing here is shown as itself: a test lists every code
the services record, so a new one cannot go unlabelled for long.
"""

from __future__ import annotations

from collections.abc import Mapping

from altmatch.i18n import N_, gettext

AUDIT_ACTIONS: Mapping[str, str] = {
    # accounts and sign-in
    "sign_in": N_("Signed in"),
    "sign_in.challenged": N_("Asked for the second factor at sign-in"),
    "sign_in.failed": N_("Sign-in failed"),
    "sign_in.throttled": N_("Sign-in blocked after too many attempts"),
    "sign_out": N_("Signed out"),
    "sign_out.everywhere": N_("Signed out on every device"),
    "two_factor.enabled": N_("Two-step sign-in turned on"),
    "two_factor.disabled": N_("Two-step sign-in turned off"),
    "two_factor.reset": N_("Two-step sign-in reset by an administrator"),
    "two_factor.recovery_codes_renewed": N_("Recovery codes renewed"),
    "two_factor.recovery_code_used": N_("Signed in with a recovery code"),
    "user.created": N_("New account created"),
    "user.consented": N_("Privacy notice accepted"),
    "user.deleted": N_("Account and its personal data deleted"),
    "user.disabled": N_("Account disabled"),
    "user.enabled": N_("Account enabled again"),
    "user.email_verified": N_("E-mail address verified"),
    "user.verification_requested": N_("E-mail verification requested"),
    "user.password_changed": N_("Password changed"),
    "user.password_reset": N_("Password reset by e-mail link"),
    "user.role_changed": N_("Role changed"),
    "user.sign_up_repeated": N_("Sign-up repeated for an existing address"),
    "user.taken_over": N_("Imported account claimed by its owner"),
    "organisation.created": N_("Organisation created"),
    "organisation.edited": N_("Organisation edited"),
    "school.added": N_("School added"),
    "privacy.purged": N_("Personal data purged after its retention period"),
    # JET seasons
    "season.opened": N_("Season opened"),
    "season.candidates_imported": N_("Candidates imported"),
    "season.requests_imported": N_("Requests imported"),
    "season.interviews_calibrated": N_("Interview scores calibrated"),
    "season.shortlist_decided": N_("Shortlist and alternates decided"),
    "request.filed": N_("Request filed"),
    "request.edited": N_("Request edited"),
    "run.created": N_("Match run made"),
    "run.chances": N_("Chances estimated"),
    "run.published": N_("Outcome published"),
    "application.linked": N_("Application linked to an account"),
    "application.preferences_set": N_("Preferences changed"),
    "application.stage_set": N_("Application stage set"),
    "application.stage_moved": N_("Applications moved to another stage"),
    "employment_contract.created": N_("Employment contract recorded"),
    # recruitment: online applications and screening
    "application.draft_saved": N_("Online application draft saved"),
    "application.document_uploaded": N_("Application document uploaded"),
    "application.referee_requested": N_("Reference requested from a referee"),
    "application.reference_received": N_("Reference letter received"),
    "application.submitted": N_("Online application submitted"),
    "application.time_zone_changed": N_("Where the candidate will be for the interview changed"),
    "application.screened": N_("Application screened"),
    "interview.sheet_submitted": N_("Interview score sheet submitted"),
    "interview.sheet_corrected": N_("Submitted interview score sheet corrected"),
    "interview.conflict_declared": N_("Conflict of interest with a candidate declared"),
    "application.draft_deleted": N_("Online application draft deleted by the applicant"),
    "application.withdrawn": N_("Application withdrawn by the applicant"),
    "office.added": N_("Recruiting office added"),
    "office.staff_added": N_("Screener added to a recruiting office"),
    "office.staff_removed": N_("Screener removed from a recruiting office"),
    "interview.panel_added": N_("Interview panel added"),
    "interview.assessor_added": N_("Assessor added to an interview panel"),
    "interview.assessor_removed": N_("Assessor removed from an interview panel"),
    "interview.session_planned": N_("Interview session planned"),
    "interview.session_deleted": N_("Interview session deleted"),
    "interview.assigned": N_("Interview slot assigned by the office"),
    "interview.rescheduled": N_("Interview moved by the office"),
    "interview.booked": N_("Interview slot booked by the candidate"),
    "interview.moved": N_("Interview moved by the candidate"),
    # direct hire
    "posting.created": N_("Posting published"),
    "posting.closed": N_("Posting closed"),
    "posting_application.applied": N_("Applied to a posting"),
    "posting_application.moved": N_("Posting application moved"),
    # dispatch
    "contract.created": N_("Dispatch contract created"),
    "contract.record": N_("Dispatch contract changed"),
    "contract.positions_imported": N_("Contract posts imported"),
    "position.added": N_("Post added"),
    "position.contact": N_("School contact recorded for a post"),
    "survey_round.opened": N_("Satisfaction survey round opened"),
    "roster.imported": N_("Roster imported"),
    "roster_alt.checklist_ticked": N_("Onboarding checklist item ticked"),
    "roster_alt.compliance_dates_set": N_("Compliance dates set"),
    "roster_alt.renewal_intention_set": N_("Renewal intention recorded"),
    "roster_alt.renewal_answered": N_("The ALT answered whether they renew"),
    "assignment.committed": N_("Assignment committed"),
    "tender.recorded": N_("Tender recorded"),
    "tender.outcome_set": N_("Tender outcome recorded"),
    "compliance.acknowledged": N_("Compliance alert acknowledged"),
    "transfer.requested": N_("Transfer requested"),
    "transfer.proposed": N_("Transfer moves proposed"),
    "transfer.approved": N_("Transfer approved"),
    "transfer.declined": N_("Transfer declined"),
    "transfer.withdrawn": N_("Transfer request withdrawn"),
    "transfer.cancelled": N_("Transfer cancelled"),
    "transfer.effective": N_("Transfer took effect"),
    "transfer.lapsed": N_("Transfer could not take effect"),
    # support cases
    "support.routes_set": N_("Support routing changed"),
    "case.opened": N_("Support case opened"),
    "case.attached": N_("File attached to a case"),
    "case.noted": N_("Internal note added to a case"),
    "case.alt_wrote": N_("The ALT wrote on a case"),
    "case.answered": N_("Case answered"),
    "case.escalated": N_("Case escalated"),
    "case.resolved": N_("Case resolved"),
    "case.reopened": N_("Case reopened"),
    "case.mediation": N_("Mediation requested"),
    # operations
    "demo.operations_seeded": N_("Demo data seeded"),
}


def action_label(code: str) -> str:
    """The action in the reader's language; an unknown code as itself."""
    text = AUDIT_ACTIONS.get(code)
    return gettext(text) if text else code
