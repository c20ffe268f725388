"""Every enum a page shows has a label for each member, in English and Japanese, registered
beside the enum; `label` is the one lookup."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from enum import StrEnum

import pytest

import altmatch.domain
import altmatch.i18n
import altmatch.rulebook
from altmatch.domain.support import Breach, CaseStatus
from altmatch.i18n import label, labelled_enums, register_labels, render, translations, use_locale
from altmatch.rulebook.vocabulary import Degree, Jlpt, SchoolLevel
from altmatch.web.pages.templating import _env

# Enums no reader sees as words: permissions are checked, not shown; contract types are named by
# the rulebook; a hard requirement and an eligibility check's outcome are shown as the rule's own
# sentence; a plan step's kind, branch and date precision are shown as the step's sentence; an
# interview score's adjustment is shown as the sentence explaining it.
UNLABELLED = {
    "Adjustment",
    "Permission",
    "ContractType",
    "Requirement",
    "Outcome",
    "StepKind",
    "Branch",
    "Precision",
    "ShortlistReason",
    "StayEffect",
    "SurveyKind",
    "Question",  # the application form's questions: worded by the rulebook (recruitment)
}
# Written the same in both languages.
SAME_IN_JAPANESE = {"N5", "N4", "N3", "N2", "N1"}
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _enums() -> list[type[StrEnum]]:
    """Every StrEnum defined in the layers that define them (rulebook, domain, i18n)."""
    found: dict[str, type[StrEnum]] = {}
    for package in (altmatch.i18n, altmatch.rulebook, altmatch.domain):
        names = [package.__name__]
        names += [m.name for m in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]
        for name in names:
            module = importlib.import_module(name)
            for value in vars(module).values():
                if (
                    inspect.isclass(value)
                    and issubclass(value, StrEnum)
                    and value.__module__ == module.__name__
                ):
                    found[value.__name__] = value
    return sorted(found.values(), key=lambda kind: kind.__name__)


ENUMS = _enums()


def test_the_layers_define_the_enums_this_test_expects() -> None:
    names = {kind.__name__ for kind in ENUMS}
    expected = {"Degree", "Jlpt", "ApplicationStage", "PostingStage", "Role", "CaseStatus"}
    assert names >= expected
    assert names >= UNLABELLED


@pytest.mark.parametrize("kind", ENUMS, ids=lambda kind: kind.__name__)
def test_every_enum_is_labelled_unless_no_reader_sees_it(kind: type[StrEnum]) -> None:
    assert (kind in labelled_enums()) != (kind.__name__ in UNLABELLED), kind.__name__


@pytest.mark.parametrize(
    "kind", [k for k in ENUMS if k.__name__ not in UNLABELLED], ids=lambda kind: kind.__name__
)
def test_every_member_has_a_label_in_english_and_japanese(kind: type[StrEnum]) -> None:
    for member in kind:
        msgid = label(member)
        assert msgid != member.value or msgid in SAME_IN_JAPANESE, member
        japanese = render(msgid, "ja")
        if msgid in SAME_IN_JAPANESE:
            assert japanese == msgid
        else:
            assert translations("ja").get(msgid), f"no Japanese for {kind.__name__}.{member.name}"
            assert JAPANESE.search(japanese) or japanese in {"ALT", "JLPT"}, japanese


def test_two_enums_may_share_a_word_but_each_member_reads_its_own() -> None:
    assert label(Degree.NONE) == "No degree" and label(Jlpt.NONE) == "No JLPT"
    assert render(label(SchoolLevel.ELEMENTARY), "ja") == "小学校"


def test_a_plain_string_is_not_a_member_and_has_no_label() -> None:
    with pytest.raises(LookupError):
        label("none")  # type: ignore[arg-type]


def test_registering_refuses_a_missing_member_a_stray_key_or_a_second_time() -> None:
    class Colour(StrEnum):
        RED = "red"
        BLUE = "blue"

    with pytest.raises(ValueError, match="missing"):
        register_labels(Colour, {Colour.RED: "Red"})
    with pytest.raises(ValueError, match="not members"):
        register_labels(Colour, {Colour.RED: "Red", Colour.BLUE: "Blue", Jlpt.N1: "N1"})  # type: ignore[dict-item]
    with pytest.raises(ValueError, match="twice"):
        register_labels(CaseStatus, dict(labelled_enums()[CaseStatus]))


def test_templates_label_members_and_plain_strings_that_name_their_enum() -> None:
    template = _env.from_string("{{ label(stage) }} / {{ label(status, CaseStatus) }}")
    with use_locale("ja"):
        text = template.render(stage=Breach.RESOLUTION, status="resolved")
    assert text == f"{render('Resolution overdue', 'ja')} / {render('Resolved', 'ja')}"
    assert JAPANESE.search(text)
    with pytest.raises(TypeError, match="needs its enum"):
        _env.from_string("{{ label('resolved') }}").render()
