"""The words profiles and rulebooks share: paths, degrees, JLPT levels, dimensions.

Each enum's human labels are registered right after it (catalog msgids; `altmatch.i18n.label`).
"""

from __future__ import annotations

from enum import StrEnum

from altmatch.i18n import N_, register_labels


class HiringPath(StrEnum):
    """The three ways an ALT reaches a Japanese public school."""

    JET = "jet"
    DISPATCH = "dispatch"
    DIRECT_HIRE = "direct_hire"


register_labels(
    HiringPath,
    {
        HiringPath.JET: N_("JET Programme"),
        HiringPath.DISPATCH: N_("Dispatch company"),
        HiringPath.DIRECT_HIRE: N_("Direct hire"),
    },
)


class Degree(StrEnum):
    NONE = "none"
    ASSOCIATE = "associate"
    # A three-year teacher-training certificate: JET takes it instead of a degree (issue 18).
    TEACHER_TRAINING = "teacher_training"
    BACHELOR = "bachelor"
    MASTER = "master"
    DOCTORATE = "doctorate"

    @property
    def rank(self) -> int:
        return list(Degree).index(self)


register_labels(
    Degree,
    {
        Degree.NONE: N_("No degree"),
        Degree.ASSOCIATE: N_("Associate degree"),
        Degree.TEACHER_TRAINING: N_("Three-year teacher-training certificate"),
        Degree.BACHELOR: N_("Bachelor's degree"),
        Degree.MASTER: N_("Master's degree"),
        Degree.DOCTORATE: N_("Doctorate"),
    },
)


class English(StrEnum):
    NATIVE = "native"
    FLUENT = "fluent"
    OTHER = "other"


register_labels(
    English,
    {
        English.NATIVE: N_("Native speaker"),
        English.FLUENT: N_("Fluent"),
        English.OTHER: N_("Less than fluent"),
    },
)


class Jlpt(StrEnum):
    """JLPT levels from none (lowest) to N1 (hardest)."""

    NONE = "none"
    N5 = "N5"
    N4 = "N4"
    N3 = "N3"
    N2 = "N2"
    N1 = "N1"

    @property
    def rank(self) -> int:
        return list(Jlpt).index(self)


# The levels are written N5 … N1 in both languages.
register_labels(Jlpt, {level: level.value for level in Jlpt} | {Jlpt.NONE: N_("No JLPT")})


class Residence(StrEnum):
    OVERSEAS = "overseas"
    JAPAN = "japan"


register_labels(
    Residence, {Residence.OVERSEAS: N_("Outside Japan"), Residence.JAPAN: N_("In Japan")}
)


class Dimension(StrEnum):
    """What a candidate can weigh when comparing paths (the advisor's priorities)."""

    PAY = "pay"
    STABILITY = "stability"
    SUPPORT = "support"
    LOCATION = "location"
    PRESTIGE = "prestige"
    SPEED = "speed"


register_labels(
    Dimension,
    {
        Dimension.PAY: N_("Pay"),
        Dimension.STABILITY: N_("Stability"),
        Dimension.SUPPORT: N_("Support"),
        Dimension.LOCATION: N_("Choice of location"),
        Dimension.PRESTIGE: N_("Prestige"),
        Dimension.SPEED: N_("Speed of start"),
    },
)


class StatusOfResidence(StrEnum):
    """Statuses of residence (在留資格) that matter for ALT work, plus a catch-all."""

    INSTRUCTOR = "instructor"
    SPECIALIST_HUMANITIES = "specialist_humanities"
    SPOUSE = "spouse"
    SPOUSE_OF_PERMANENT_RESIDENT = "spouse_of_permanent_resident"
    PERMANENT_RESIDENT = "permanent_resident"
    LONG_TERM_RESIDENT = "long_term_resident"
    DESIGNATED_ACTIVITIES = "designated_activities"
    STUDENT = "student"
    DEPENDENT = "dependent"
    OTHER = "other"


register_labels(
    StatusOfResidence,
    {
        StatusOfResidence.INSTRUCTOR: N_("Instructor"),
        StatusOfResidence.SPECIALIST_HUMANITIES: N_(
            "Engineer / Specialist in Humanities / International Services"
        ),
        StatusOfResidence.SPOUSE: N_("Spouse or child of a Japanese national"),
        StatusOfResidence.SPOUSE_OF_PERMANENT_RESIDENT: N_(
            "Spouse or child of a permanent resident"
        ),
        StatusOfResidence.PERMANENT_RESIDENT: N_("Permanent resident"),
        StatusOfResidence.LONG_TERM_RESIDENT: N_("Long-term resident"),
        StatusOfResidence.DESIGNATED_ACTIVITIES: N_("Designated activities (e.g. working holiday)"),
        StatusOfResidence.STUDENT: N_("Student"),
        StatusOfResidence.DEPENDENT: N_("Dependent"),
        StatusOfResidence.OTHER: N_("Other status"),
    },
)


class SchoolLevel(StrEnum):
    """The kinds of school an ALT can be placed in."""

    ELEMENTARY = "elementary"
    JUNIOR_HIGH = "junior_high"
    SENIOR_HIGH = "senior_high"
    SPECIAL_NEEDS = "special_needs"


register_labels(
    SchoolLevel,
    {
        SchoolLevel.ELEMENTARY: N_("Elementary school"),
        SchoolLevel.JUNIOR_HIGH: N_("Junior high school"),
        SchoolLevel.SENIOR_HIGH: N_("Senior high school"),
        SchoolLevel.SPECIAL_NEEDS: N_("Special needs school"),
    },
)


class Area(StrEnum):
    URBAN = "urban"
    RURAL = "rural"


register_labels(Area, {Area.URBAN: N_("Urban"), Area.RURAL: N_("Rural")})


class ContractType(StrEnum):
    """How a company supplies ALTs to a BoE; the law differs on who directs their daily work."""

    WORKER_DISPATCH = "worker_dispatch"  # 労働者派遣: the BoE directs the ALT's work
    OUTSOURCING = "outsourcing"  # 請負・業務委託: only the company may direct the ALT


class RenewalIntention(StrEnum):
    """Whether an ALT means to stay past the end of their own employment contract."""

    RENEWING = "renewing"
    UNDECIDED = "undecided"
    LEAVING = "leaving"


register_labels(
    RenewalIntention,
    {
        RenewalIntention.RENEWING: N_("Renewing"),
        RenewalIntention.UNDECIDED: N_("Undecided"),
        RenewalIntention.LEAVING: N_("Leaving"),
    },
)


class CaseCategory(StrEnum):
    """What an ALT's support case is about; decides its deadlines and who may see it."""

    PAY_CONTRACT = "pay_contract"
    HOUSING = "housing"
    VISA_PAPERWORK = "visa_paperwork"
    SCHOOL_RELATIONS = "school_relations"  # relations with a school, or a dispute
    HEALTH = "health"
    HARASSMENT = "harassment"
    EMERGENCY = "emergency"


register_labels(
    CaseCategory,
    {
        CaseCategory.PAY_CONTRACT: N_("Pay and contract"),
        CaseCategory.HOUSING: N_("Housing"),
        CaseCategory.VISA_PAPERWORK: N_("Visa and paperwork"),
        CaseCategory.SCHOOL_RELATIONS: N_("School relations or dispute"),
        CaseCategory.HEALTH: N_("Health"),
        CaseCategory.HARASSMENT: N_("Harassment"),
        CaseCategory.EMERGENCY: N_("Emergency"),
    },
)


class Urgency(StrEnum):
    """How soon an ALT needs an answer, in their own words."""

    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"


register_labels(
    Urgency, {Urgency.LOW: N_("Low"), Urgency.NORMAL: N_("Normal"), Urgency.HIGH: N_("High")}
)


class RetainedKind(StrEnum):
    """The kinds of record account deletion keeps, pseudonymised (rulebook: personal_data)."""

    EMPLOYMENT_RECORD = "employment_record"  # contracts, roster entry, assignments, the hire
    SUPPORT_CASE = "support_case"  # a case's own record, without the ALT's words
    SEASON_APPLICATION = "season_application"  # an application a match run was computed from
    AUDIT_ENTRY = "audit_entry"  # who changed what, by ids only


register_labels(
    RetainedKind,
    {
        RetainedKind.EMPLOYMENT_RECORD: N_("Employment record"),
        RetainedKind.SUPPORT_CASE: N_("Support case record"),
        RetainedKind.SEASON_APPLICATION: N_("Season application record"),
        RetainedKind.AUDIT_ENTRY: N_("Audit log entry"),
    },
)


class RetentionStart(StrEnum):
    """When a kept record's retention period starts counting."""

    EMPLOYMENT_END = "employment_end"  # the end of the employment (the contract's last day)
    CASE_CLOSED = "case_closed"  # the day the case was resolved (or closed by the deletion)


register_labels(
    RetentionStart,
    {
        RetentionStart.EMPLOYMENT_END: N_("From the end of the employment"),
        RetentionStart.CASE_CLOSED: N_("From the day the case closed"),
    },
)
