"""The registries: one shape for SMART rules by code, charts and workbook formats.

Each registry keeps its items in the order registered, refuses a name taken
already, and answers an unknown name with an
:class:`~okr_workshop.exceptions.UnknownNameError` naming the kind, the name,
the names there are and, for a near miss, the one meant.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from okr_workshop.cli import EXIT_BAD_INPUT, run
from okr_workshop.exceptions import DuplicateNameError, OkrWorkshopError, RuleConfigError, UnknownNameError
from okr_workshop.io import FORMATS, Format
from okr_workshop.registry import Registry
from okr_workshop.smart.rules import Rule, load_config, registry
from okr_workshop.smart.rules import key_results as key_result_rules
from okr_workshop.smart.rules import objectives as objective_rules
from okr_workshop.tracking import charts as chart_module
from okr_workshop.tracking.charts import charts


@dataclass(frozen=True)
class Shape:
    """Something with its own name, as a rule has its code and a format its name."""

    name: str
    sides: int


@pytest.fixture
def shapes() -> Registry[Shape]:
    """A fresh registry of shapes named by their ``name``, holding a triangle, a square and a pentagon."""
    fresh = Registry[Shape]("shape", key=lambda shape: shape.name)
    for name, sides in (("triangle", 3), ("square", 4), ("pentagon", 5)):
        fresh.register(Shape(name, sides))
    return fresh


def _rules_defined_in(module) -> list[str]:
    """The codes of the rule classes ``module`` defines, in the order its source defines them."""
    return [value.code for value in vars(module).values()
            if isinstance(value, type) and issubclass(value, Rule) and value.__module__ == module.__name__]


# --------------------------------------------------------------------------- a fresh registry


def test_items_come_back_by_name_and_in_the_order_registered(shapes) -> None:
    assert shapes.names() == ["triangle", "square", "pentagon"]
    assert [shape.sides for shape in shapes] == [3, 4, 5]
    assert shapes.get("square") == Shape("square", 4)
    assert len(shapes) == 3
    assert "pentagon" in shapes and "hexagon" not in shapes and Shape("square", 4) not in shapes


def test_register_names_an_item_as_a_call_or_a_decorator() -> None:
    builders: Registry[type] = Registry("builder")

    @builders.register(name="plain")
    class Plain:
        """Registered by a decorator that names it."""

    class Fancy:
        """Registered by a call that names it."""

    assert builders.register(Fancy, name="fancy") is Fancy
    assert builders.get("plain") is Plain and builders.get("fancy") is Fancy
    assert builders.names() == ["plain", "fancy"]


def test_a_bare_decorator_names_the_item_by_its_key() -> None:
    tools: Registry[type] = Registry("tool", key=lambda tool: tool.code)

    @tools.register
    class Hammer:
        """Named by its code, as a rule is."""

        code = "hammer"

    @tools.register()
    class Saw:
        """Named by its code through the decorator called with no name."""

        code = "saw"

    assert tools.get("hammer") is Hammer and tools.get("saw") is Saw
    assert tools.names() == ["hammer", "saw"]


def test_an_item_without_a_key_or_a_name_is_refused() -> None:
    with pytest.raises(TypeError, match=r"a chart is registered with a name: register\(item, name=\.\.\.\)"):
        Registry[object]("chart").register(object())


def test_a_name_registered_twice_is_refused_and_the_first_stays(shapes) -> None:
    with pytest.raises(DuplicateNameError, match=r"^a shape named 'square' is registered already$") as caught:
        shapes.register(Shape("square", 5))
    assert isinstance(caught.value, OkrWorkshopError) and isinstance(caught.value, ValueError)
    assert shapes.get("square").sides == 4
    assert shapes.names() == ["triangle", "square", "pentagon"]


def test_an_unknown_name_names_the_kind_the_name_and_the_known_names(shapes) -> None:
    with pytest.raises(UnknownNameError) as caught:
        shapes.get("circle")
    assert str(caught.value) == "unknown shape 'circle': known shapes are triangle, square, pentagon"
    assert (caught.value.kind, caught.value.name, caught.value.known) == (
        "shape", "circle", ("triangle", "square", "pentagon"))


def test_a_near_miss_says_which_name_was_meant(shapes) -> None:
    with pytest.raises(UnknownNameError) as caught:
        shapes.get("sqaure")
    assert str(caught.value) == ("unknown shape 'sqaure': did you mean 'square'? "
                                 "Known shapes are triangle, square, pentagon")


def test_an_empty_registry_says_it_holds_nothing() -> None:
    with pytest.raises(UnknownNameError, match=r"^unknown shape 'circle': there are no shapes$"):
        Registry[Shape]("shape").get("circle")


def test_the_error_is_ours_and_a_key_error_shown_without_quotes(shapes) -> None:
    with pytest.raises(KeyError) as caught:
        shapes.get("circle")
    assert isinstance(caught.value, OkrWorkshopError)
    assert str(caught.value).startswith("unknown shape 'circle'")


def test_a_name_with_control_characters_is_shown_escaped(shapes) -> None:
    with pytest.raises(UnknownNameError) as caught:
        shapes.get("circle\x1b[2J")
    assert "\x1b" not in str(caught.value)
    assert "unknown shape 'circle\\x1b[2J'" in str(caught.value)


# --------------------------------------------------------------------------- the SMART rules


def test_rules_keep_the_order_their_modules_define_them() -> None:
    assert registry.names() == _rules_defined_in(key_result_rules) + _rules_defined_in(objective_rules)
    assert [rule.code for rule in registry] == registry.names()


def test_an_unknown_rule_names_the_known_rules_and_the_near_miss() -> None:
    known = ", ".join(registry.names())
    with pytest.raises(UnknownNameError) as caught:
        registry.get("measurable.no-numbers")
    assert str(caught.value) == (f"unknown rule 'measurable.no-numbers': did you mean 'measurable.no-number'? "
                                 f"Known rules are {known}")
    with pytest.raises(UnknownNameError) as caught:
        registry.get("clarity.jargon")
    assert str(caught.value) == f"unknown rule 'clarity.jargon': known rules are {known}"


def test_a_rule_registered_twice_is_refused() -> None:
    before = registry.names()
    with pytest.raises(DuplicateNameError, match=r"^a rule named 'measurable\.no-number' is registered already$"):
        registry.register(registry.get("measurable.no-number"))
    assert registry.names() == before


def test_a_rules_file_naming_an_unknown_rule_is_refused_with_the_near_miss(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text("rules:\n  specific.vague-word: off\n", encoding="utf-8")
    with pytest.raises(RuleConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(
        f"{path}: unknown rule 'specific.vague-word': did you mean 'specific.vague-words'? Known rules are ")


def test_the_command_shows_the_unknown_rule_of_a_rules_file(tmp_path, monkeypatch, capsys) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text("rules:\n  relevant.orphans: warning\n", encoding="utf-8")
    monkeypatch.setattr(sys, "argv", ["okr-workshop", "check", "--list-rules", "--config", str(path)])
    with pytest.raises(SystemExit) as exit_status:
        run()
    assert exit_status.value.code == EXIT_BAD_INPUT
    error = capsys.readouterr().err
    assert error.startswith(f"okr-workshop: {path}: unknown rule 'relevant.orphans': did you mean "
                            f"'relevant.orphan'? Known rules are {', '.join(registry.names())}")


# --------------------------------------------------------------------------- charts and workbook formats


def test_charts_keep_their_order_and_name_the_unknown() -> None:
    assert charts.names() == ["progress", "confidence", "score_by_team"]
    assert [charts.get(name) for name in charts.names()] == [
        chart_module.progress_chart, chart_module.confidence_chart, chart_module.team_score_chart]
    with pytest.raises(UnknownNameError) as caught:
        charts.get("score-by-team")
    assert str(caught.value) == ("unknown chart 'score-by-team': did you mean 'score_by_team'? "
                                 "Known charts are progress, confidence, score_by_team")


def test_a_chart_registered_twice_is_refused() -> None:
    with pytest.raises(DuplicateNameError, match=r"^a chart named 'progress' is registered already$"):
        charts.register(chart_module.confidence_chart, name="progress")
    assert charts.get("progress") is chart_module.progress_chart


def test_formats_keep_their_order_and_name_the_unknown() -> None:
    assert FORMATS.names() == ["csv", "xlsx", "yaml"]
    assert [fmt.name for fmt in FORMATS] == FORMATS.names()
    with pytest.raises(UnknownNameError) as caught:
        FORMATS.get("xls")
    assert str(caught.value) == ("unknown workbook format 'xls': did you mean 'xlsx'? "
                                 "Known workbook formats are csv, xlsx, yaml")
    with pytest.raises(UnknownNameError, match=r"^unknown workbook format 'ods': known workbook formats are "
                                               r"csv, xlsx, yaml$"):
        FORMATS.get("ods")


def test_a_format_registered_twice_is_refused() -> None:
    csv = FORMATS.get("csv")
    with pytest.raises(DuplicateNameError, match=r"^a workbook format named 'csv' is registered already$"):
        FORMATS.register(Format("csv", csv.matches, csv.read, csv.write))
    assert FORMATS.get("csv") is csv
