"""Realistic demo data: a seeded season across Japan's 47 prefectures, with named personas."""

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
    "DemoRequest",
    "DemoSchool",
    "DemoSeason",
    "Municipality",
    "Persona",
    "Prefecture",
    "Programme",
    "generate_demo",
    "load_prefectures",
    "persona",
    "personas",
    "write_demo_season",
]
