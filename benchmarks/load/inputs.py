"""What the simulated people type: advisor profiles and BoE request edits, varied and valid."""

from __future__ import annotations

import random
from typing import Any

COUNTRIES = ("GB", "US", "AU", "CA", "NZ", "IE", "ZA", "PH", "IN", "JM", "SG", "FR", "DE")


def random_profile(rng: random.Random) -> dict[str, Any]:
    """A plausible, valid profile: the advisor's answers change with each of these fields."""
    in_japan = rng.random() < 0.3
    profile: dict[str, Any] = {
        "degree": rng.choice(("bachelor", "bachelor", "master", "associate", "none", "doctorate")),
        "citizenship": rng.choice(COUNTRIES),
        "english": rng.choice(("native", "native", "fluent", "other")),
        "teaching_years": rng.choice((0, 0, 1, 2, 3, 5, 8)),
        "alt_years": rng.choice((0, 0, 0, 1, 2, 4)),
        "jlpt": rng.choice(("none", "N5", "N4", "N3", "N2", "N1")),
        "residence": "japan" if in_japan else "overseas",
        "driving_licence": rng.random() < 0.6,
        "prior_jet_years": rng.choice((0, 0, 0, 1, 3)),
        "years_in_japan_recent": rng.choice((0, 0, 1, 3)) if not in_japan else rng.choice((1, 4)),
        "priorities": {
            key: rng.randint(0, 5)
            for key in ("pay", "stability", "support", "location", "prestige", "speed")
        },
    }
    if in_japan:
        profile["status_of_residence"] = rng.choice(
            ("instructor", "specialist_humanities", "spouse", "permanent_resident", "student")
        )
    if rng.random() < 0.5:
        profile["earliest_start"] = f"2027-{rng.randint(1, 12):02d}-01"
    return profile


def advisor_form(profile: dict[str, Any]) -> dict[str, str]:
    """The profile as the /advisor form posts it (checkboxes only when ticked)."""
    form = {k: str(v) for k, v in profile.items() if k not in ("priorities", "driving_licence")}
    if profile["driving_licence"]:
        form["driving_licence"] = "on"
    form |= {f"priorities.{k}": str(v) for k, v in profile["priorities"].items()}
    return form


EDITABLE = (
    "capacity",
    "prefecture",
    "school_levels",
    "area",
    "requires_driving_licence",
    "min_jlpt",
    "min_teaching_years",
    "weight_jlpt",
    "weight_teaching_years",
    "weight_school_levels",
    "weight_driving_licence",
)


def edited(request: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """The request's fields with a change a BoE might make: places or one weight."""
    fields = {k: request[k] for k in EDITABLE}
    if rng.random() < 0.5:
        fields["capacity"] = rng.randint(1, 3)
    else:
        fields[rng.choice(EDITABLE[-4:])] = rng.randint(0, 5)
    return fields
