"""Charts: specs built from the example's quarter, rendered to SVG with no network."""

from __future__ import annotations

import datetime as dt
import re
import socket
from pathlib import Path

import pytest

from okr_workshop.exceptions import UnknownNameError
from okr_workshop.io import read_workbook
from okr_workshop.tracking import charts, standing
from okr_workshop.tracking.status import build_status

EXAMPLE = Path(__file__).parents[1] / "templates" / "examples" / "brightwell"


@pytest.fixture(scope="module")
def example():
    return read_workbook(EXAMPLE)


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a network connection fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"a chart tried to reach the network: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def fleet_timeline(example):
    krs = example["key_results"]
    return standing.timeline(krs[krs["objective"] == "FLEET-1"], example["checkins"], example["objectives"])


def test_the_timeline_is_tidy(example):
    points, expected = fleet_timeline(example)
    assert list(points.columns) == ["key_result", "objective", "date", "value", "progress", "confidence"]
    assert len(points) == 21  # three key results, seven check-ins each
    first = points[points["key_result"] == "FLEET-1.1"].iloc[0]
    assert (first["date"], first["value"]) == (dt.datetime(2026, 10, 9), 36.0)
    assert first["progress"] == pytest.approx((40 - 36) / (40 - 12))
    assert points["date"].is_monotonic_increasing
    assert expected[expected["key_result"] == "FLEET-1.1"]["expected"].tolist() == [0.0, 1.0]


def test_specs_carry_the_data_and_encodings(example):
    points, expected = fleet_timeline(example)
    spec = charts.progress_chart(points, expected).to_dict()
    assert spec["title"] == "Progress against expected"
    assert {layer["mark"]["type"] for layer in spec["layer"]} == {"line"}
    data = next(iter(spec["datasets"].values()))
    assert {row["key_result"] for row in data} >= {"FLEET-1.1", "FLEET-1.2", "FLEET-1.3"}
    teams = charts.team_score_chart(build_status(example, as_of=dt.date(2026, 11, 20)).teams).to_dict()
    bars = teams["layer"][0]
    assert bars["encoding"]["color"]["scale"]["range"] == list(charts.GRADE_COLOURS.values())
    rows = teams["datasets"][bars["data"]["name"]]
    assert {r["label"] for r in rows} == {"Sales & Partnerships", "Fleet Operations", "Customer Care",
                                          "Product & Engineering", "Marketing", "People Operations"}


def test_many_key_results_show_the_mean_confidence(example):
    points, _ = standing.timeline(example["key_results"], example["checkins"], example["objectives"])
    spec = charts.confidence_chart(points).to_dict()
    assert spec["layer"][1]["encoding"]["y"]["title"] == "mean confidence"
    assert "color" not in spec["layer"][1]["encoding"]


@pytest.mark.parametrize("name", ["progress", "confidence", "score_by_team"])
def test_every_chart_renders_to_svg_offline(example, no_network, tmp_path, name):
    points, expected = fleet_timeline(example)
    report = build_status(example, as_of=dt.date(2026, 11, 20))
    build = charts.charts.get(name)
    chart = {"progress": lambda: build(points, expected), "confidence": lambda: build(points),
             "score_by_team": lambda: build(report.teams)}[name]()
    path = charts.save_svg(chart, tmp_path / f"{name}.svg")
    svg = path.read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<svg")
    assert "<path" in svg or "<rect" in svg  # something was drawn
    assert not re.search(r"""(?:href|src)=["']https?://""", svg), "the SVG links to another host"


def test_the_registry_names_what_is_missing():
    assert charts.charts.names() == ["progress", "confidence", "score_by_team"]
    with pytest.raises(UnknownNameError,
                       match=r"^unknown chart 'pie': known charts are progress, confidence, score_by_team$"):
        charts.charts.get("pie")
