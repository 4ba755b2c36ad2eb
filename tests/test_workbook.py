"""The Workbook: typed frames, records, counts, and same_data."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from okr_workshop.model import KeyResult, Objective
from okr_workshop.schema import TABLES
from okr_workshop.workbook import Workbook, empty_frame, typed_frame


def test_an_empty_workbook_has_every_table_typed():
    workbook = Workbook()
    assert set(workbook.tables) == set(TABLES)
    assert workbook.counts() == {name: 0 for name in TABLES}
    assert workbook["key_results"]["start"].dtype == "float64"
    assert workbook["checkins"]["date"].dtype == "datetime64[ns]"
    assert list(workbook["objectives"].columns) == list(TABLES["objectives"].column_names)


def test_unknown_table_name_is_a_clear_error():
    with pytest.raises(KeyError, match="No table named 'okrs'"):
        Workbook()["okrs"]


def test_typed_frame_fills_defaults_and_missing_values():
    frame = typed_frame("key_results", [{"id": "K", "objective": "C1", "title": "t", "start": "4"}])
    assert frame["start"].iloc[0] == 4.0
    assert frame["weight"].iloc[0] == 1.0
    assert np.isnan(frame["target"].iloc[0])
    assert frame["unit"].iloc[0] is None
    assert frame["due"].isna().all() and frame["due"].dtype == "datetime64[ns]"


@pytest.mark.parametrize("participants", [None, "ana;ben", ("ana", "ben"), np.nan])
def test_participants_stay_object_text_or_none(participants):
    frame = typed_frame("objectives", pd.DataFrame({
        "id": ["A", "B"], "title": ["t", "t"], "level": ["company", "company"],
        "participants": pd.Series([participants, None], dtype=object)}))
    assert frame["participants"].dtype == object
    expected = None if participants is None or participants is np.nan else "ana;ben"
    assert frame["participants"].tolist() == [expected, None]


def test_from_records_and_back():
    workbook = Workbook.from_records(
        objectives=[Objective(id="C1", title="Delight", level="company", participants="ana;ben")],
        key_results=[{"id": "K1", "objective": "C1", "title": "NPS", "due": "2026-09-30", "start": 40}],
    )
    assert workbook["objectives"]["participants"].iloc[0] == "ana;ben"
    [objective] = workbook.records("objectives")
    assert objective.participants == ("ana", "ben")
    [kr] = workbook.records("key_results")
    assert isinstance(kr, KeyResult)
    assert kr.due == dt.date(2026, 9, 30)
    assert kr.start == 40.0
    assert kr.target is None


def test_same_data_ignores_row_order_but_not_values(full_workbook):
    shuffled = Workbook(tables={name: frame.iloc[::-1].reset_index(drop=True)
                                for name, frame in full_workbook.tables.items()})
    assert full_workbook.same_data(shuffled)
    for table, column, value in [("objectives", "title", "Changed"), ("key_results", "start", 41.0),
                                 ("checkins", "date", pd.Timestamp("2026-07-16")), ("people", "role", None)]:
        changed = Workbook(tables={name: frame.copy() for name, frame in full_workbook.tables.items()})
        changed.tables[table].loc[0, column] = value
        assert not full_workbook.same_data(changed), (table, column)


def test_same_data_notices_a_missing_row(full_workbook):
    fewer = Workbook(tables={name: frame.copy() for name, frame in full_workbook.tables.items()})
    fewer.tables["checkins"] = fewer["checkins"].iloc[1:].reset_index(drop=True)
    assert not full_workbook.same_data(fewer)


def test_empty_frame_matches_the_schema():
    for name, spec in TABLES.items():
        assert list(empty_frame(name).columns) == list(spec.column_names)
