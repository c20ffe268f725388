"""Templates show places and organisations in the reader's language: `|prefecture` and
`local_name(...)`, registered in the one Jinja environment."""

from __future__ import annotations

from dataclasses import dataclass

from altmatch.i18n import use_locale
from altmatch.web.pages.place_names import local_name, prefecture
from altmatch.web.pages.templating import _templates


@dataclass
class Org:
    name_en: str
    name_ja: str


def test_prefecture_follows_the_reader() -> None:
    assert prefecture("Hyogo", "ja") == "兵庫県"
    assert prefecture("兵庫県", "en") == "Hyogo"
    assert prefecture("Somewhere", "ja") == "Somewhere"
    with use_locale("ja"):
        assert prefecture("Nagano") == "長野県"


def test_local_name_picks_the_readers_name_and_falls_back() -> None:
    kobe = Org("Kobe City BoE", "神戸市教育委員会")
    assert local_name(kobe, locale="ja") == "神戸市教育委員会"
    assert local_name(kobe, locale="en") == "Kobe City BoE"
    assert local_name("Kobe City BoE", "神戸市教育委員会", locale="ja") == "神戸市教育委員会"
    assert local_name("Kobe City BoE", "", locale="ja") == "Kobe City BoE"
    assert local_name("", "神戸市教育委員会", locale="en") == "神戸市教育委員会"
    assert local_name(None, locale="ja") == ""


def test_templates_have_the_filter_and_the_global() -> None:
    template = _templates.env.from_string(
        "{{ place|prefecture }} · {{ local_name(org) }} · {{ local_name(en, ja) }}"
    )
    org = Org("Toyooka City BoE", "豊岡市教育委員会")
    context = {"place": "Hyogo", "org": org, "en": "X school", "ja": "X学校"}
    with use_locale("ja"):
        assert template.render(context) == "兵庫県 · 豊岡市教育委員会 · X学校"
    with use_locale("en"):
        assert template.render(context) == "Hyogo · Toyooka City BoE · X school"
