"""The schema read off the models must be exactly the contract's tables and columns (shared/okr-format.md)."""

from __future__ import annotations

import pytest

from okr_workshop.schema import TABLES, table

CONTRACT = {
    "teams": ["id*", "name*", "parent"],
    "people": ["id*", "name", "team", "role", "start_date"],
    "objectives": ["id*", "title*", "level*", "quarter", "team", "owner", "parent", "visibility", "commitment",
                   "description", "participants"],
    "key_results": ["id*", "objective*", "title*", "start", "target", "current", "unit", "due", "owner", "weight",
                    "confidence"],
    "initiatives": ["id*", "key_result*", "title*", "owner", "status", "due"],
    "checkins": ["key_result*", "date*", "value*", "confidence", "note", "author"],
    "reflections": ["objective*", "author*", "date*", "score", "worked", "did_not_work", "learned", "next"],
    "changes": ["key_result*", "date*", "author*", "field*", "old", "new", "reason*"],
}
OURS = {"retro": ["team*", "quarter*", "kind*", "text*", "author", "date*"]}
"""Tables of our own: the team retro of the review workshop."""
ADDED = {
    "objectives": ["carried_from"],
    "key_results": ["type", "carried_from"],
}
"""Optional columns of our own, after the contract's (the contract allows adding, never renaming)."""


@pytest.mark.parametrize("name", list(CONTRACT))
def test_tables_and_columns_are_the_contracts(name):
    spec = table(name)
    assert list(spec.column_names) == [c.rstrip("*") for c in CONTRACT[name]] + ADDED.get(name, [])
    assert list(spec.required) == [c.rstrip("*") for c in CONTRACT[name] if c.endswith("*")]


def test_table_order_is_the_order_they_refer_to_each_other():
    assert list(TABLES) == list(CONTRACT) + list(OURS)


def test_our_own_tables_have_their_columns():
    for name, columns in OURS.items():
        assert list(table(name).column_names) == [c.rstrip("*") for c in columns]
        assert list(table(name).required) == [c.rstrip("*") for c in columns if c.endswith("*")]


@pytest.mark.parametrize("name, column, kind, ref, choices", [
    ("objectives", "level", "choice", None, ("company", "team", "individual")),
    ("objectives", "visibility", "choice", None, ("everyone", "team", "participants")),
    ("objectives", "commitment", "choice", None, ("aspirational", "committed")),
    ("objectives", "quarter", "quarter", None, ()),
    ("objectives", "parent", "text", "objectives", ()),
    ("objectives", "participants", "ids", "people", ()),
    ("people", "role", "choice", None, ("leader", "manager", "member", "facilitator")),
    ("initiatives", "status", "choice", None, ("planned", "in_progress", "done", "dropped")),
    ("key_results", "start", "number", None, ()),
    ("key_results", "due", "date", None, ()),
    ("key_results", "type", "choice", None, ("increase", "decrease", "stay_above", "stay_below", "milestone")),
    ("key_results", "carried_from", "text", None, ()),
    ("objectives", "carried_from", "text", None, ()),
    ("checkins", "key_result", "text", "key_results", ()),
    ("teams", "parent", "text", "teams", ()),
])
def test_column_kinds_references_and_choices(name, column, kind, ref, choices):
    spec = table(name)[column]
    assert (spec.kind, spec.ref, spec.choices) == (kind, ref, choices)


def test_bounds():
    assert (table("key_results")["confidence"].minimum, table("key_results")["confidence"].maximum) == (0.0, 1.0)
    weight = table("key_results")["weight"]
    assert (weight.minimum, weight.exclusive_minimum, weight.default) == (0.0, True, 1.0)
