"""Profile files: YAML and JSON read into mappings; unreadable files give a clear error."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from altmatch.io.profile_file import ProfileFileError, read_profile_file

EXAMPLES = Path(__file__).parents[3] / "examples"


def test_the_yaml_example_reads_with_its_date_and_priorities() -> None:
    data = read_profile_file(EXAMPLES / "profile.yaml")
    assert data["earliest_start"] == dt.date(2027, 8, 1)
    assert data["priorities"]["pay"] == 3


def test_the_json_example_reads() -> None:
    assert read_profile_file(EXAMPLES / "no-degree.json")["degree"] == "none"


def test_a_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_bytes(b'\xef\xbb\xbf{"degree": "bachelor"}')
    assert read_profile_file(path) == {"degree": "bachelor"}


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("p.txt", "degree: bachelor", "expected a .yaml"),
        ("p.yaml", "degree: [unclosed", "cannot parse"),
        ("p.json", "{not json", "cannot parse"),
        ("p.yaml", "- a\n- list", "must be a mapping"),
    ],
)
def test_bad_files_say_what_is_wrong(
    tmp_path: Path, name: str, content: str, expected: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ProfileFileError, match=expected):
        read_profile_file(path)


def test_a_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ProfileFileError, match="No such file"):
        read_profile_file(tmp_path / "absent.yaml")
