"""Ladders: the shipped ladders, the file format and its errors, next-level steps, imports."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from levelup.domain.vocab import COMPETENCIES
from levelup.ladders import (
    LadderError,
    find_ladder,
    ladder_from_dict,
    ladder_to_dict,
    list_ladders,
    next_level,
)
from levelup.ladders.convert import convert, default_mapping_text, front_matter
from levelup.ladders.install import import_ladder
from levelup.ladders.load import parse_text

FIXTURES = Path(__file__).parent / "fixtures" / "ladders"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "ladders"

MINIMAL = """\
id: tiny
name: Tiny ladder
tracks:
  - id: ic
    name: IC
    levels:
      - id: A
        name: First
        summary: Small scope.
        competencies:
          craft:
            expectations: ["Writes code."]
      - id: B
        name: Second
        summary: Bigger scope.
        competencies:
          craft:
            expectations: ["Writes code.", "Designs systems."]
            signals: ["A design doc."]
          mentoring:
            expectations: ["Mentors others."]
"""


def test_builtin_ladders_have_the_documented_levels_and_every_competency() -> None:
    ladders = {ladder.id: ladder for ladder in list_ladders()}
    assert [lv.id for lv in ladders["software-engineer"].levels()] == [
        "L1", "L2", "L3", "L4", "L5", "L6"]
    assert [lv.id for lv in ladders["engineering-manager"].levels()] == ["M1", "M2", "M3", "M4"]
    se = ladders["software-engineer"]
    assert "Mid-level" in se.check_level("L3").name
    assert "Senior" in se.check_level("L4").name and "Staff" in se.check_level("L5").name
    for ladder in ladders.values():
        for level in ladder.levels():
            assert set(level.competencies) == set(COMPETENCIES), (ladder.id, level.id)
    assert find_ladder().id == "software-engineer"


def test_check_level_suggests_the_nearest_id() -> None:
    with pytest.raises(LadderError, match="no level 'L7'; did you mean 'L6'"):
        find_ladder("software-engineer").check_level("L7")
    with pytest.raises(LadderError, match="no ladder 'nope'"):
        find_ladder("nope")


def test_next_level_lists_what_is_new_per_competency() -> None:
    ladder = ladder_from_dict(parse_text(MINIMAL, "tiny.yml"))
    steps = {step.competency: step for step in next_level(ladder, "A", "B")}
    assert list(steps) == ["craft", "mentoring"]
    assert steps["craft"].new == ("Designs systems.",)
    assert steps["craft"].signals == ("A design doc.",)
    assert steps["mentoring"].current == () and steps["mentoring"].new == ("Mentors others.",)
    with pytest.raises(LadderError, match="both"):
        next_level(ladder, "A", "a")


def test_next_level_on_the_shipped_ladder_covers_all_competencies() -> None:
    steps = next_level(find_ladder(), "L3", "L4")
    assert [s.competency for s in steps] == list(COMPETENCIES)
    assert all(s.new for s in steps)


@pytest.mark.parametrize(("broken", "expected"), [
    (MINIMAL.replace("craft:\n            expectations: [\"Writes code.\"]",
                     "crafts:\n            expectations: [\"Writes code.\"]"),
     r"tiny\.yml:\d+: tracks\[0\]\.levels\[0\]\.competencies"),
    (MINIMAL.replace("        summary: Bigger scope.\n", ""),
     r"tiny\.yml:13: tracks\[0\]\.levels\[1\]: 'summary' is a required property"),
    (MINIMAL.replace("id: tiny", "id: tiny\n  oops: [", 1), r"tiny\.yml:\d+: not valid YAML"),
    ("- just a list\n", r"tiny\.yml:1: a ladder file must be a mapping"),
    (MINIMAL.replace("id: B", "id: A"), "level id 'A' appears twice"),
])
def test_errors_name_file_line_and_field(broken: str, expected: str) -> None:
    with pytest.raises(LadderError, match=expected):
        parse_text(broken, "tiny.yml")


def test_user_ladder_in_home_is_listed_and_overrides_builtin(tmp_path: Path) -> None:
    folder = tmp_path / "ladders"
    folder.mkdir()
    (folder / "tiny.yml").write_text(MINIMAL)
    (folder / "software-engineer.yml").write_text(
        MINIMAL.replace("id: tiny", "id: software-engineer"))
    ids = {ladder.id: ladder for ladder in list_ladders(tmp_path)}
    assert "tiny" in ids and ids["tiny"].origin.endswith("tiny.yml")
    assert [lv.id for lv in find_ladder(None, tmp_path).levels()] == ["A", "B"]


def test_round_trip_through_the_file_format() -> None:
    ladder = find_ladder("engineering-manager")
    again = ladder_from_dict(parse_text(yaml.safe_dump(ladder_to_dict(ladder)), "x.yml"))
    assert again == ladder


def test_ft_import_maps_themes_to_competencies() -> None:
    data = convert("ft", (FIXTURES / "ft-mini.yml").read_text(), default_mapping_text(), "ft")
    ladder = ladder_from_dict(data)
    assert ladder.id == "ft-platform"
    engineer, senior = ladder.levels()
    assert engineer.competencies["craft"].expectations == ("Builds reliable services with tests.",)
    assert engineer.competencies["craft"].signals == ("Added contract tests to a service",)
    assert engineer.competencies["collaboration"].expectations == (
        "Helps teammates get unblocked.",)
    assert senior.competencies["mentoring"].signals == ("A mentee promoted",)


def test_monzo_import_reads_front_matter_and_examples() -> None:
    text = (FIXTURES / "monzo-mini.md").read_text()
    ladder = ladder_from_dict(convert("monzo", text, default_mapping_text(), "m", "tiny"))
    assert ladder.id == "tiny" and [lv.id for lv in ladder.levels()] == ["L1", "L2", "L3"]
    two = ladder.check_level("L2").competencies["communication"]
    assert two.expectations == ("Explains trade-offs to the team", "Shares context in reviews")
    assert two.signals == ("Links the design note in every review",)
    assert ladder.check_level("L3").competencies["delivery"].expectations == (
        "Leads incident resolution",)


def test_custom_mapping_is_applied_and_unmapped_themes_are_named() -> None:
    text = (FIXTURES / "monzo-mini.md").read_text()
    mapping = "monzo:\n  communication: influence\n  impact: ownership\n"
    ladder = ladder_from_dict(convert("monzo", text, mapping, "m"))
    assert "influence" in ladder.check_level("L1").competencies
    with pytest.raises(LadderError, match="theme 'impact' is not in the mapping"):
        convert("monzo", text, "monzo:\n  communication: influence\n", "m")
    with pytest.raises(LadderError, match="'teamwork' is not a competency"):
        convert("monzo", text, "monzo:\n  communication: teamwork\n", "m")


def test_import_installs_into_home_and_is_found(tmp_path: Path) -> None:
    ladder, path = import_ladder("ft", FIXTURES / "ft-mini.yml", tmp_path, ladder_id="plat")
    assert path == tmp_path / "ladders" / "plat.yml"
    assert find_ladder("plat", tmp_path).levels() == ladder.levels()
    with pytest.raises(LadderError, match="cannot read"):
        import_ladder("ft", tmp_path / "missing.yml", tmp_path)


def test_front_matter_is_required() -> None:
    with pytest.raises(LadderError, match="no YAML front matter"):
        front_matter("# just markdown\n", "x.md")


@pytest.mark.skipif(not SHARED.is_dir(), reason="shared fixtures of real ladders not present")
@pytest.mark.parametrize("name", ["ft/engineering.yml", "ft/operations.yml", "monzo/backend.md",
                                  "monzo/web.md", "monzo/generic.md"])
def test_real_public_ladders_import(name: str) -> None:
    fmt = name.split("/")[0]
    ladder = ladder_from_dict(convert(fmt, (SHARED / name).read_text(), default_mapping_text(),
                                      name))
    assert len(ladder.levels()) >= 3
    assert all(level.competencies for level in ladder.levels())


@settings(max_examples=60, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(max_size=6), inner, max_size=3), max_leaves=12))
def test_any_yaml_document_gives_a_ladder_or_a_ladder_error(doc: object) -> None:
    try:
        parse_text(yaml.safe_dump(doc), "fuzz.yml")
    except LadderError as exc:
        assert str(exc).startswith("fuzz.yml")


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200))
def test_monzo_import_of_arbitrary_text_fails_cleanly(text: str) -> None:
    try:
        convert("monzo", text, default_mapping_text(), "fuzz.md")
    except LadderError:
        pass
