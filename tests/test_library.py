"""The example library and the session guides: every file loads, every example holds up to our own checker."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from okr_workshop import library as library_module
from okr_workshop.exceptions import WorkbookError
from okr_workshop.library import LEVELS, TEMPLATES_ENV, load_library, load_session, session_names, templates_folder
from okr_workshop.smart.check import check_key_result
from okr_workshop.smart.rules.base import ObjectiveFacts
from okr_workshop.smart.rules.objectives import ObjectiveHasNumber

ROOT = Path(__file__).resolve().parents[1]
FUNCTIONS = {"sales", "engineering", "support", "hr", "public_sector", "marketing", "product", "finance",
             "operations", "open_source"}
SESSIONS = {"leadership", "cascade", "individual", "checkins", "facilitator"}
QUARTER = "2026-Q3"

LIBRARY = load_library()
EXAMPLES = LIBRARY.examples()


def _id(example) -> str:
    return f"{example.function}: {example.objective}"


GOOD = [pytest.param(kr, id=f"{_id(e)} / {kr}") for e in EXAMPLES for kr in e.good]
WEAK = [pytest.param(w, id=f"{_id(e)} / {w.title}") for e in EXAMPLES for w in e.weak]


def _flagged(title: str) -> list[str]:
    result = check_key_result(title, quarter=QUARTER, commitment="aspirational")
    return [f"{f.severity} {f.rule}: {f.message}" for f in result.findings if f.severity in ("error", "warning")]


def _sentences(text: str) -> int:
    return len([s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s])


# --- the example library ---------------------------------------------------------------------------------------

def test_every_library_file_loads_and_is_named_by_its_function():
    files = {p.stem for p in (ROOT / "templates" / "library").glob("*.yaml")}
    assert set(LIBRARY.functions) == files
    assert FUNCTIONS.issubset(files)
    for function in LIBRARY.functions:
        examples = LIBRARY.examples(function)
        assert 3 <= len(examples) <= 4, function
        assert all(e.function == function for e in examples)
        assert LIBRARY.titles[function]


def test_examples_cover_every_function_and_every_level():
    assert {e.function for e in EXAMPLES} >= FUNCTIONS
    assert {e.level for e in EXAMPLES} == set(LEVELS)


@pytest.mark.parametrize("example", EXAMPLES, ids=_id)
def test_example_has_the_documented_shape(example):
    assert len(example.good) == 3
    assert 2 <= len(example.weak) <= 3
    assert _sentences(example.why) == 1, example.why
    for weak in example.weak:
        assert _sentences(weak.why_weak) == 1 and len(weak.why_weak) <= 120, weak.why_weak
        assert weak.better != weak.title


@pytest.mark.parametrize("example", EXAMPLES, ids=_id)
def test_objective_carries_no_number(example):
    facts = ObjectiveFacts(id="", title=example.objective, level=example.level, quarter=QUARTER)
    assert list(ObjectiveHasNumber().check(facts)) == []


@pytest.mark.parametrize("title", GOOD)
def test_good_key_result_passes_the_checker(title):
    assert _flagged(title) == []
    assert all(check_key_result(title, quarter=QUARTER, commitment="aspirational").smart.values())


@pytest.mark.parametrize("weak", WEAK)
def test_weak_key_result_gets_an_error_or_warning(weak):
    assert _flagged(weak.title), f"the checker finds nothing wrong with {weak.title!r}"


@pytest.mark.parametrize("weak", WEAK)
def test_better_rewrite_passes_the_checker(weak):
    assert _flagged(weak.better) == []


def test_examples_filter_by_function_and_level():
    team_sales = LIBRARY.examples("sales", level="team")
    assert team_sales and all(e.function == "sales" and e.level == "team" for e in team_sales)
    assert len(LIBRARY.examples(level="company")) + len(LIBRARY.examples(level="team")) + len(
        LIBRARY.examples(level="individual")) == len(EXAMPLES)
    with pytest.raises(KeyError, match="No function named 'astrology'"):
        LIBRARY.examples("astrology")
    with pytest.raises(ValueError, match="No level named 'galaxy'"):
        LIBRARY.examples(level="galaxy")


# --- session guides ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(SESSIONS))
def test_session_steps_sum_to_its_duration(name):
    session = load_session(name)
    assert session.name == name
    assert sum(step.minutes for step in session.steps) == session.duration_minutes
    agenda = session.agenda()
    assert agenda[0][0] == 0
    assert agenda[-1][0] + agenda[-1][1].minutes == session.duration_minutes
    assert [start for start, _ in session.agenda(start=30)] == [start + 30 for start, _ in agenda]


@pytest.mark.parametrize("name", sorted(SESSIONS))
def test_session_steps_are_short_prompts_with_a_tip(name):
    session = load_session(name)
    assert session.title and session.audience and session.agenda_notes
    assert len({step.id for step in session.steps}) == len(session.steps)
    for step in session.steps:
        assert 1 <= _sentences(step.prompt) <= 3, step.prompt
        assert step.tip and step.minutes > 0


def test_every_session_file_loads():
    assert set(session_names()) >= SESSIONS
    for name in session_names():
        load_session(name)


def test_facilitator_steps_say_what_to_watch_and_when_to_intervene():
    session = load_session("facilitator")
    assert 90 <= session.duration_minutes <= 8 * 60
    assert all(step.watch and step.intervene for step in session.steps)


def test_unknown_session_names_the_known_ones():
    with pytest.raises(KeyError, match=r"No session named 'yoga'.*leadership"):
        load_session("yoga")


# --- bad files ---------------------------------------------------------------------------------------------------

GOOD_EXAMPLE = """\
title: Sales
examples:
  - objective: Win the deals we already see
    why: Losing late costs the most.
    level: {level}
    good:
      - Raise the win rate from 22% to 30%
    weak:
      - title: Make 600 calls
        {why_field}: Calls are effort.
        better: Grow qualified opportunities from 28 to 45
"""


def _problems(error: pytest.ExceptionInfo) -> list:
    return error.value.problems


def test_malformed_library_file_names_file_line_and_field(tmp_path):
    (tmp_path / "sales.yaml").write_text(GOOD_EXAMPLE.format(level="boss", why_field="why_weak"), encoding="utf-8")
    with pytest.raises(WorkbookError) as error:
        load_library(tmp_path)
    [problem] = _problems(error)
    assert problem.path.endswith("sales.yaml") and problem.column == "level" and problem.row == 5
    assert "'boss'" in str(error.value) and "company" in str(error.value)


def test_misspelt_and_missing_fields_are_both_named(tmp_path):
    (tmp_path / "sales.yaml").write_text(GOOD_EXAMPLE.format(level="team", why_field="whyweak"), encoding="utf-8")
    with pytest.raises(WorkbookError) as error:
        load_library(tmp_path)
    assert {(p.column, p.row) for p in _problems(error)} == {("why_weak", 9), ("whyweak", 10)}


def test_every_bad_file_is_reported_at_once(tmp_path):
    (tmp_path / "sales.yaml").write_text(GOOD_EXAMPLE.format(level="boss", why_field="why_weak"), encoding="utf-8")
    (tmp_path / "hr.yaml").write_text("title: [HR\n", encoding="utf-8")
    (tmp_path / "finance.yaml").write_text(
        "function: money\n" + GOOD_EXAMPLE.format(level="team", why_field="why_weak"), encoding="utf-8")
    with pytest.raises(WorkbookError) as error:
        load_library(tmp_path)
    found = {(Path(p.path).name, p.column) for p in _problems(error)}
    assert found == {("sales.yaml", "level"), ("hr.yaml", None), ("finance.yaml", "function")}


def test_a_templates_folder_or_the_library_folder_itself_can_be_given(tmp_path):
    (tmp_path / "library").mkdir()
    (tmp_path / "library" / "sales.yaml").write_text(GOOD_EXAMPLE.format(level="team", why_field="why_weak"),
                                                     encoding="utf-8")
    assert load_library(tmp_path).functions == ["sales"]
    assert load_library(tmp_path / "library").examples()[0].level == "team"


SESSION = """\
title: Check-in
audience: Everyone
duration_minutes: {total}
agenda_notes: Weekly.
steps:
  - title: Update your values
    prompt: Enter today's values.
    tip: Be honest.
    minutes: 5
  - title: Set your confidence
    prompt: Say how likely the target is.
    tip: Half is fine.
    minutes: {minutes}
"""


def test_session_whose_steps_do_not_sum_to_its_duration_names_the_field(tmp_path):
    (tmp_path / "weekly.yaml").write_text(SESSION.format(total=20, minutes=5), encoding="utf-8")
    with pytest.raises(WorkbookError) as error:
        load_session("weekly", tmp_path)
    [problem] = _problems(error)
    assert problem.path.endswith("weekly.yaml") and problem.column == "duration_minutes" and problem.row == 3
    assert "10" in problem.expected


def test_session_step_without_minutes_names_the_field(tmp_path):
    (tmp_path / "weekly.yaml").write_text(SESSION.format(total=5, minutes=0), encoding="utf-8")
    with pytest.raises(WorkbookError) as error:
        load_session("weekly", tmp_path)
    [problem] = _problems(error)
    assert (problem.column, problem.row) == ("minutes", 13)
    assert "weekly.yaml, line 13, column 'minutes'" in str(error.value)


def test_step_ids_default_to_the_title(tmp_path):
    (tmp_path / "weekly.yaml").write_text(SESSION.format(total=10, minutes=5), encoding="utf-8")
    assert [s.id for s in load_session("weekly", tmp_path).steps] == ["update_your_values", "set_your_confidence"]


# --- where the templates are -------------------------------------------------------------------------------------

def test_templates_sit_next_to_the_package():
    assert templates_folder() == ROOT / "templates"


def test_templates_fall_back_to_the_environment(tmp_path, monkeypatch):
    monkeypatch.setattr(library_module, "__file__", str(tmp_path / "site-packages" / "okr_workshop" / "library.py"))
    monkeypatch.setenv(TEMPLATES_ENV, str(ROOT / "templates"))
    assert templates_folder() == ROOT / "templates"
    monkeypatch.delenv(TEMPLATES_ENV)
    with pytest.raises(WorkbookError, match=TEMPLATES_ENV):
        templates_folder()
