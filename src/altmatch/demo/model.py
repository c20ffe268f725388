"""What a generated demo season holds: organisations, requests, candidates, couples, personas."""

from __future__ import annotations

from dataclasses import dataclass

from altmatch.demo.personas import Persona
from altmatch.demo.places import Prefecture
from altmatch.io.season_files import CandidateRecord, RequestRecord
from altmatch.rulebook.vocabulary import Area, SchoolLevel


@dataclass(frozen=True)
class Programme:
    """The programme whose coordinators run the season (the tenant above every BoE)."""

    id: str
    name: str
    name_ja: str


@dataclass(frozen=True)
class Boe:
    """A Board of Education named after a real prefecture or municipality."""

    id: str  # "boe-28-toyooka"; a prefectural BoE is "boe-28-pref"
    name: str  # "Toyooka City BoE", as in requests.csv
    name_ja: str  # "豊岡市教育委員会"
    prefecture: str  # the English name the season files use, e.g. "Hyogo"
    prefecture_code: str  # JIS X 0401
    municipality: str | None  # None for a prefectural BoE
    municipality_ja: str | None
    kind: str  # prefecture, city, town, village or ward
    area: Area


@dataclass(frozen=True)
class DemoSchool:
    """A school run by a demo BoE, standing near a real municipality's town hall."""

    boe_id: str
    external_id: str  # unique within its BoE, e.g. "boe-28-toyooka-s01"
    name: str  # "Toyooka Minami Elementary School"
    name_ja: str  # "豊岡市立豊岡南小学校"
    level: SchoolLevel
    area: Area
    municipality: str  # English name of the municipality it stands in
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Company:
    """A (fictional) dispatch company and the BoEs whose ALT contracts it holds."""

    id: str
    name: str
    name_ja: str
    regions: tuple[str, ...]
    boe_ids: tuple[str, ...]


@dataclass(frozen=True)
class DemoRequest:
    """A request as the season files carry it, and the BoE that filed it."""

    record: RequestRecord
    boe_id: str


@dataclass(frozen=True)
class DemoCandidate:
    """A candidate as the season files carry it, and a display name for the web app."""

    record: CandidateRecord
    name: str


@dataclass(frozen=True)
class DemoSeason:
    """Everything `generate_demo` makes; equal seeds give equal seasons."""

    seed: int
    prefectures: tuple[Prefecture, ...]
    programme: Programme
    boes: tuple[Boe, ...]
    schools: tuple[DemoSchool, ...]
    companies: tuple[Company, ...]
    requests: tuple[DemoRequest, ...]
    candidates: tuple[DemoCandidate, ...]
    couples: tuple[tuple[str, str], ...]
    personas: tuple[Persona, ...]

    @property
    def places(self) -> int:
        """Places requested in total (the sum of the requests' capacities)."""
        return sum(r.record.capacity for r in self.requests)
