"""The demo's recruiting offices: the eight embassies of demo.interview_panels, with the
countries each recruits in, their time zones and a contact address.

Each embassy recruits its own country's citizens; Wellington also takes Fiji and Tonga (a demo
assumption: those countries' applicants apply through an embassy accredited to them). The
other countries JET recruits in (rulebook `jet.citizenship`) have no office in the demo, so
their citizens are told no office serves them yet. Addresses are on example.org.
"""

from __future__ import annotations

from dataclasses import dataclass

from altmatch.demo.interview_panels import OFFICES as INTERVIEW_OFFICES


@dataclass(frozen=True)
class DemoOffice:
    code: str
    name_en: str
    name_ja: str
    countries: tuple[str, ...]
    time_zone: str

    @property
    def email(self) -> str:
        return f"jet-{self.code}@example.org"


OFFICES: tuple[DemoOffice, ...] = (
    DemoOffice(
        "washington",
        "Embassy of Japan in the United States",
        "在アメリカ合衆国日本国大使館",
        ("US",),
        "America/New_York",
    ),
    DemoOffice(
        "london", "Embassy of Japan in the UK", "在英国日本国大使館", ("GB",), "Europe/London"
    ),
    DemoOffice(
        "ottawa", "Embassy of Japan in Canada", "在カナダ日本国大使館", ("CA",), "America/Toronto"
    ),
    DemoOffice(
        "canberra",
        "Embassy of Japan in Australia",
        "在オーストラリア日本国大使館",
        ("AU",),
        "Australia/Sydney",
    ),
    DemoOffice(
        "wellington",
        "Embassy of Japan in New Zealand",
        "在ニュージーランド日本国大使館",
        ("NZ", "FJ", "TO"),
        "Pacific/Auckland",
    ),
    DemoOffice(
        "dublin",
        "Embassy of Japan in Ireland",
        "在アイルランド日本国大使館",
        ("IE",),
        "Europe/Dublin",
    ),
    DemoOffice(
        "pretoria",
        "Embassy of Japan in South Africa",
        "在南アフリカ共和国日本国大使館",
        ("ZA",),
        "Africa/Johannesburg",
    ),
    DemoOffice(
        "manila",
        "Embassy of Japan in the Philippines",
        "在フィリピン日本国大使館",
        ("PH",),
        "Asia/Manila",
    ),
)

assert [o.code for o in OFFICES] == [code for code, _ in INTERVIEW_OFFICES]
