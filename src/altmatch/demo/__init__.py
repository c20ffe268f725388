"""Realistic demo data: a seeded season across Japan's 47 prefectures, with named personas,
the dispatch companies' operations and BoEs' direct-hire postings."""

from altmatch.demo.direct_hire import DemoDirectHire, generate_direct_hire
from altmatch.demo.dispatch import generate_dispatch
from altmatch.demo.dispatch_records import DemoDispatch
from altmatch.demo.model import (
    Boe,
    Company,
    DemoCandidate,
    DemoRequest,
    DemoSchool,
    DemoSeason,
    Programme,
)
from altmatch.demo.personas import DEMO_PASSWORD, Persona, persona, personas
from altmatch.demo.places import Municipality, Prefecture, load_prefectures
from altmatch.demo.season import generate_demo, write_demo_season

__all__ = [
    "DEMO_PASSWORD",
    "Boe",
    "Company",
    "DemoCandidate",
    "DemoDirectHire",
    "DemoDispatch",
    "DemoRequest",
    "DemoSchool",
    "DemoSeason",
    "Municipality",
    "Persona",
    "Prefecture",
    "Programme",
    "generate_demo",
    "generate_direct_hire",
    "generate_dispatch",
    "load_prefectures",
    "persona",
    "personas",
    "write_demo_season",
]
