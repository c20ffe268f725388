"""Human labels for the vocabulary's values, as catalog message ids (translated on render)."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from altmatch.i18n import N_
from altmatch.rulebook.vocabulary import (
    Area,
    Degree,
    English,
    HiringPath,
    Jlpt,
    Residence,
    SchoolLevel,
    StatusOfResidence,
)

LABELS: Mapping[StrEnum, str] = {
    Degree.NONE: N_("No degree"),
    Degree.ASSOCIATE: N_("Associate degree"),
    Degree.BACHELOR: N_("Bachelor's degree"),
    Degree.MASTER: N_("Master's degree"),
    Degree.DOCTORATE: N_("Doctorate"),
    English.NATIVE: N_("Native speaker"),
    English.FLUENT: N_("Fluent"),
    English.OTHER: N_("Less than fluent"),
    Jlpt.NONE: N_("No JLPT"),
    Jlpt.N5: "N5",
    Jlpt.N4: "N4",
    Jlpt.N3: "N3",
    Jlpt.N2: "N2",
    Jlpt.N1: "N1",
    Residence.OVERSEAS: N_("Outside Japan"),
    Residence.JAPAN: N_("In Japan"),
    StatusOfResidence.INSTRUCTOR: N_("Instructor"),
    StatusOfResidence.SPECIALIST_HUMANITIES: N_(
        "Engineer / Specialist in Humanities / International Services"
    ),
    StatusOfResidence.SPOUSE: N_("Spouse or child of a Japanese national"),
    StatusOfResidence.SPOUSE_OF_PERMANENT_RESIDENT: N_("Spouse or child of a permanent resident"),
    StatusOfResidence.PERMANENT_RESIDENT: N_("Permanent resident"),
    StatusOfResidence.LONG_TERM_RESIDENT: N_("Long-term resident"),
    StatusOfResidence.DESIGNATED_ACTIVITIES: N_("Designated activities (e.g. working holiday)"),
    StatusOfResidence.STUDENT: N_("Student"),
    StatusOfResidence.DEPENDENT: N_("Dependent"),
    StatusOfResidence.OTHER: N_("Other status"),
    HiringPath.JET: N_("JET Programme"),
    HiringPath.DISPATCH: N_("Dispatch company"),
    HiringPath.DIRECT_HIRE: N_("Direct hire"),
    SchoolLevel.ELEMENTARY: N_("Elementary school"),
    SchoolLevel.JUNIOR_HIGH: N_("Junior high school"),
    SchoolLevel.SENIOR_HIGH: N_("Senior high school"),
    SchoolLevel.SPECIAL_NEEDS: N_("Special needs school"),
    Area.URBAN: N_("Urban"),
    Area.RURAL: N_("Rural"),
}
