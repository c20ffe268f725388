"""The words profiles and rulebooks share: paths, degrees, JLPT levels, dimensions."""

from __future__ import annotations

from enum import StrEnum


class HiringPath(StrEnum):
    """The three ways an ALT reaches a Japanese public school."""

    JET = "jet"
    DISPATCH = "dispatch"
    DIRECT_HIRE = "direct_hire"


class Degree(StrEnum):
    NONE = "none"
    ASSOCIATE = "associate"
    BACHELOR = "bachelor"
    MASTER = "master"
    DOCTORATE = "doctorate"

    @property
    def rank(self) -> int:
        return list(Degree).index(self)


class English(StrEnum):
    NATIVE = "native"
    FLUENT = "fluent"
    OTHER = "other"


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


class Residence(StrEnum):
    OVERSEAS = "overseas"
    JAPAN = "japan"


class Dimension(StrEnum):
    """What a candidate can weigh when comparing paths (the advisor's priorities)."""

    PAY = "pay"
    STABILITY = "stability"
    SUPPORT = "support"
    LOCATION = "location"
    PRESTIGE = "prestige"
    SPEED = "speed"


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


class SchoolLevel(StrEnum):
    """The kinds of school an ALT can be placed in."""

    ELEMENTARY = "elementary"
    JUNIOR_HIGH = "junior_high"
    SENIOR_HIGH = "senior_high"
    SPECIAL_NEEDS = "special_needs"


class Area(StrEnum):
    URBAN = "urban"
    RURAL = "rural"


class ContractType(StrEnum):
    """How a company supplies ALTs to a BoE; the law differs on who directs their daily work."""

    WORKER_DISPATCH = "worker_dispatch"  # 労働者派遣: the BoE directs the ALT's work
    OUTSOURCING = "outsourcing"  # 請負・業務委託: only the company may direct the ALT


class RenewalIntention(StrEnum):
    """Whether an ALT means to stay past the end of their own employment contract."""

    RENEWING = "renewing"
    UNDECIDED = "undecided"
    LEAVING = "leaving"


class CaseCategory(StrEnum):
    """What an ALT's support case is about; decides its deadlines and who may see it."""

    PAY_CONTRACT = "pay_contract"
    HOUSING = "housing"
    VISA_PAPERWORK = "visa_paperwork"
    SCHOOL_RELATIONS = "school_relations"  # relations with a school, or a dispute
    HEALTH = "health"
    HARASSMENT = "harassment"
    EMERGENCY = "emergency"


class Urgency(StrEnum):
    """How soon an ALT needs an answer, in their own words."""

    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
