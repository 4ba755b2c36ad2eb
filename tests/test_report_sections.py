"""The review report's pieces without a kernel: scopes, visibility, reading, figures and every section's HTML."""

from __future__ import annotations

import datetime as dt
import math
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from okr_workshop.exceptions import ReportError
from okr_workshop.io import read_workbook
from okr_workshop.reports import data, index, insights, markup, review, svg, trends
from okr_workshop.reports.run import Outcome
from okr_workshop.reports.scope import (
    Scope,
    audience_mask,
    needed_mask,
    parse_scope,
    restrict,
)
from okr_workshop.store.database import Store
from okr_workshop.tracking.status import build_status
from okr_workshop.workbook import Workbook

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "templates" / "examples" / "brightwell"
QUARTER, AS_OF = "2026-Q4", "2026-11-20"
PRIVATE_TITLE = "Grow into a confident solo mechanic during my first quarter"
PARTICIPANT, OWNER = "dmitri.volkov@brightwell.example", "emeka.obi@brightwell.example"
NON_PARTICIPANT = "aisha.bello@brightwell.example"
SCRIPT = "<script>alert(1)</script>"
SECTIONS = ["headline", "objectives", "charts", "at_risk", "alignment", "quality", "lessons", "prompts", "carry_over"]


def hostile_rows() -> Workbook:
    """A team objective, key result and check-in note written to break out of HTML."""
    return Workbook.from_records(
        objectives=[{"id": "SALES-X", "title": SCRIPT, "level": "team", "quarter": QUARTER, "team": "sales",
                     "owner": "kwame.mensah@brightwell.example", "parent": "C1", "commitment": "committed"}],
        key_results=[{"id": "SALES-X.1", "objective": "SALES-X", "title": '<img src=x onerror="alert(2)"> from 0 to 10',
                      "start": 0, "target": 10, "unit": "<u>deals</u>", "confidence": 0.3}],
        checkins=[{"key_result": "SALES-X.1", "date": dt.date(2026, 11, 13), "value": 1, "confidence": 0.2,
                   "note": "It worked <b>because</b> of </section><script>x()</script>",
                   "author": "kwame.mensah@brightwell.example"}],
    )


@pytest.fixture(scope="module")
def store_file(tmp_path_factory) -> Path:
    """The example company in a store, with the hostile rows added."""
    path = tmp_path_factory.mktemp("reports") / "example.db"
    store = Store(path)
    store.write_workbook(read_workbook(EXAMPLE))
    store.write_workbook(hostile_rows())
    store.close()
    return path


@pytest.fixture(scope="module")
def reviews(store_file) -> dict[tuple[str, str], review.Review]:
    """Built reviews, by (scope, viewer)."""
    cache: dict[tuple[str, str], review.Review] = {}

    def get(scope: str, viewer: str = "") -> review.Review:
        if (scope, viewer) not in cache:
            cache[scope, viewer] = review.build(str(store_file), QUARTER, scope, viewer, AS_OF)
        return cache[scope, viewer]

    return get


def page(r: review.Review) -> str:
    return "".join(str(getattr(r, name)()) for name in ["style", *SECTIONS])


# --------------------------------------------------------------------------- scopes


@pytest.mark.parametrize(("text", "scope", "slug"), [
    ("company", Scope("company"), "company"),
    (" Company ", Scope("company"), "company"),
    ("team:fleet", Scope("team", "fleet"), "team-fleet"),
    ("person:emeka.obi@brightwell.example", Scope("person", OWNER), "person-emeka.obi@brightwell.example"),
    ("team:../../etc", Scope("team", "../../etc"), "team-etc--74ccf3c5b4"),
])
def test_scopes_parse_and_name_their_files(text, scope, slug):
    assert parse_scope(text) == scope
    assert parse_scope(text).slug == slug
    assert "/" not in parse_scope(text).slug


@pytest.mark.parametrize("text", ["", "team", "team:", "company:x", "division:7", "person"])
def test_a_scope_that_is_no_scope_is_refused(text):
    with pytest.raises(ReportError, match="no scope"):
        parse_scope(text)


# --------------------------------------------------------------------------- visibility


@pytest.fixture(scope="module")
def example_book() -> Workbook:
    return read_workbook(EXAMPLE)


@pytest.mark.parametrize(("scope", "viewer", "emeka", "camille"), [
    (Scope("company"), None, False, False),
    (Scope("team", "fleet"), None, False, False),
    (Scope("team", "support"), None, False, True),  # the team's own team-visible objective
    (Scope("team", "fleet"), PARTICIPANT, True, False),
    (Scope("team", "fleet"), OWNER, True, False),
    (Scope("team", "fleet"), NON_PARTICIPANT, False, False),
    (Scope("company"), PARTICIPANT, True, False),
])
def test_the_audience_sees_participants_only_objectives_only_as_a_participant(example_book, scope, viewer, emeka,
                                                                             camille):
    mask = audience_mask(example_book["objectives"], example_book["people"], scope, viewer)
    seen = dict(zip(example_book["objectives"]["id"], mask, strict=True))
    assert seen["I-emeka-1"] is emeka and seen["I-camille-1"] is camille
    assert seen["C1"] and seen["FLEET-1"]


def test_restrict_drops_hidden_objectives_with_their_rows_and_names_no_hidden_parent(example_book):
    objectives = example_book["objectives"]
    keep = objectives["id"] != "FLEET-1"
    kept = restrict(example_book, keep)
    assert "FLEET-1" not in set(kept["objectives"]["id"])
    assert not kept["key_results"]["objective"].eq("FLEET-1").any()
    assert not kept["checkins"]["key_result"].str.startswith("FLEET-1.").any()
    assert not kept["objectives"]["parent"].eq("FLEET-1").any()  # the children show no parent now


@pytest.mark.parametrize("team", ["sales", "fleet", "support", "product", "marketing", "people"])
def test_scoring_only_what_a_team_needs_gives_the_same_figures(example_book, team):
    day = dt.date(2026, 11, 20)
    whole = build_status(example_book, as_of=day, quarter=QUARTER, team=team)
    needed = restrict(example_book, needed_mask(example_book["objectives"], example_book["people"],
                                                example_book["teams"], Scope("team", team)))
    part = build_status(needed, as_of=day, quarter=QUARTER, team=team)
    assert len(needed["objectives"]) < len(example_book["objectives"])
    pd.testing.assert_frame_equal(whole.objectives, part.objectives)
    pd.testing.assert_frame_equal(whole.key_results, part.key_results)
    pd.testing.assert_frame_equal(whole.teams, part.teams)
    assert (whole.adoption, whole.alignment) == (part.adoption, part.alignment)
    assert [f.message for f in whole.findings] == [f.message for f in part.findings]


# --------------------------------------------------------------------------- reading


def test_the_direct_sqlite_read_gives_what_the_store_gives(store_file):
    known, chosen, fast = data._read_sqlite(str(store_file), QUARTER, None)
    store = Store(store_file, create=False)
    expected = store.read_workbook(quarter=QUARTER)
    store.close()
    assert known == [QUARTER] and chosen == QUARTER
    for name in expected.tables:
        pd.testing.assert_frame_equal(fast[name].reset_index(drop=True), expected[name].reset_index(drop=True))


def test_a_snapshot_holds_the_quarter_and_refuses_other_files(store_file, tmp_path):
    path = data.write_snapshot(str(store_file), QUARTER, tmp_path)
    quarter, book = data.load_quarter(None, QUARTER, path)
    store = Store(store_file, create=False)
    assert quarter == QUARTER and book.same_data(store.read_workbook(quarter=QUARTER))
    store.close()
    with pytest.raises(ReportError, match="holds 2026-Q4"):
        data.load_quarter(None, "2027-Q1", path)
    stray = tmp_path / "other.okr-snapshot"
    stray.write_bytes(b"not a pickle of ours")
    shutil.copyfile(path, tmp_path / "copy.txt")
    for wrong in (stray, tmp_path / "copy.txt", tmp_path / "missing.okr-snapshot"):
        with pytest.raises(ReportError, match="no snapshot"):
            data.read_snapshot(wrong)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"scope": "team:nosuch"}, "no team 'nosuch'"),
    ({"scope": "person:nobody@example.org"}, "no person 'nobody@example.org'"),
    ({"viewer": "nobody@example.org"}, "no person 'nobody@example.org' in the store to read"),
    ({"quarter": "2031-Q1"}, "no objectives for 2031-Q1"),
    ({"as_of": "20 Nov"}, "no date"),
])
def test_build_says_what_is_wrong(store_file, kwargs, message):
    arguments = {"db": str(store_file), "quarter": QUARTER, "scope": "company", "viewer": "", "as_of": AS_OF} | kwargs
    with pytest.raises(ReportError, match=re.escape(message)):
        review.build(**arguments)


# --------------------------------------------------------------------------- figures and sections


def test_every_section_renders_for_every_kind_of_scope(reviews):
    for scope in ["company", "team:fleet", "person:aisha.bello@brightwell.example", f"person:{OWNER}"]:
        r = reviews(scope)
        for name in SECTIONS:
            html = getattr(r, name)()
            assert isinstance(html, markup.Html) and html._repr_html_() == str(html), (scope, name)
            assert html.count("<section") == html.count("</section>") or name == "headline"


def test_participants_only_title_appears_for_participants_only(reviews):
    for scope in ["company", "team:fleet", f"person:{OWNER}"]:
        assert PRIVATE_TITLE not in page(reviews(scope)), scope
        assert PRIVATE_TITLE not in page(reviews(scope, NON_PARTICIPANT)), scope
    for viewer in (PARTICIPANT, OWNER):
        assert PRIVATE_TITLE in page(reviews("team:fleet", viewer))
        assert PRIVATE_TITLE in page(reviews(f"person:{OWNER}", viewer))


def test_hidden_objectives_are_left_out_of_the_counts(reviews):
    public, participant = reviews("team:fleet").figures(), reviews("team:fleet", PARTICIPANT).figures()
    assert participant["objectives"] == public["objectives"] + 1
    assert participant["key_results"] == public["key_results"] + 2
    assert reviews(f"person:{OWNER}").figures()["objectives"] == 0


def test_user_text_is_escaped_in_every_section(reviews):
    for scope in ["company", "team:sales"]:
        html = page(reviews(scope))
        assert SCRIPT not in html and "<script" not in html and "<img" not in html and "<u>" not in html
        assert "<b>because</b>" not in html and "</section><script>" not in html
    team = page(reviews("team:sales"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in team
    assert "&lt;img src=x onerror=&#34;alert(2)&#34;&gt;" in team


def test_the_headline_carries_its_figures_for_the_index(reviews):
    r = reviews("team:fleet")
    data_, metadata = r.headline()._repr_mimebundle_()
    figures = metadata["okr_workshop"]["headline"]
    assert "text/html" in data_ and figures == r.figures()
    assert figures["objectives"] == len(r.status.objectives) == sum(figures["verdicts"].values())
    assert figures["key_results"] == sum(figures["statuses"].values())
    assert figures["grade"] in ("red", "yellow", "green") and 0 <= figures["score"] <= 1
    assert not figures["ended"]


def test_company_shows_company_objectives_and_lists_team_ones(reviews):
    r = reviews("company")
    assert set(r.shown["level"]) == {"company"}
    assert set(r.listed["level"]) == {"company", "team"}
    assert len(r.status.objectives) == 30  # every objective anyone may see, the hostile one included
    carried = str(r.carry_over())
    assert "C1.2" in carried and "FLEET-1.2" not in carried  # teams decide on their own in their reports


@pytest.mark.parametrize(("score", "attainment", "expected", "commitment", "ended", "verdict"), [
    (0.5, 0.5, 0.5, "committed", False, "met"),            # on pace for 1.0
    (0.4, 0.4, 0.5, "committed", False, "falling_short"),  # on pace for 0.8
    (0.4, 0.4, 0.5, "aspirational", False, "met"),         # on pace for 0.8, 0.7 expected
    (0.6, 0.6, 0.5, "aspirational", False, "exceeded"),    # on pace past its targets
    (0.1, 0.1, 0.1, "committed", False, None),             # too early to tell
    (0.4, 0.4, 1.0, "aspirational", True, "falling_short"),
])
def test_outlook_is_the_verdict_at_the_pace_so_far(score, attainment, expected, commitment, ended, verdict):
    frame = pd.DataFrame({"score": [score], "attainment": [attainment], "expected": [expected],
                          "commitment": [commitment],
                          "verdict": ["falling_short" if score < (1.0 if commitment == "committed" else 0.7)
                                      else "met"]})
    assert review._outlook(frame, ended)[0] == verdict


def _objective(score, expected, confidence, outlook):
    return pd.Series({"score": score, "expected": expected, "confidence": confidence, "outlook": outlook})


@pytest.mark.parametrize(("objective", "statuses", "advice"), [
    (_objective(0.6, 0.5, 0.8, "met"), ["on_track", "at_risk"], "keep"),
    (_objective(0.3, 0.5, 0.6, "falling_short"), ["on_track", "off_track"], "modify"),
    (_objective(0.05, 0.5, 0.2, "falling_short"), ["off_track", "off_track"], "abandon"),
    (_objective(0.05, 0.5, 0.6, "falling_short"), ["off_track", "at_risk"], "modify"),
    (_objective(float("nan"), float("nan"), float("nan"), None), [], "modify"),
])
def test_advice_reads_the_figures(objective, statuses, advice):
    verdict, reason = insights.advice(objective, pd.DataFrame({"status": statuses}))
    assert verdict == advice and reason


def test_the_progress_chart_ends_where_the_scores_are(reviews):
    r = reviews("team:fleet")
    grid, by_objective, expected = trends.progress_series(r)
    scores = r.shown.set_index("id")["score"]
    assert grid[0] == pd.Timestamp(r.period[0]) and grid[-1] == pd.Timestamp(r.as_of)
    np.testing.assert_allclose(by_objective.iloc[:, -1], scores.reindex(by_objective.index), atol=1e-9)
    assert expected[0] < 0.05 and math.isclose(expected[-1], r.shown["expected"].mean(), abs_tol=0.02)
    assert (np.diff(expected) >= 0).all()
    _, mean, low, high = trends.confidence_series(r)
    assert math.isclose(mean[-1], r.key_results["confidence"].mean())
    assert (low <= mean + 1e-9).all() and (mean <= high + 1e-9).all()


# --------------------------------------------------------------------------- pieces


def test_svg_charts_escape_labels_and_need_no_other_host():
    day = dt.date(2026, 10, 1)
    lines = [svg.Line(SCRIPT, [day, dt.date(2026, 11, 1)], [0.1, 0.5]),
             svg.Line("expected", [day, dt.date(2026, 12, 31)], [0, 1], dashed=True)]
    drawn = svg.line_chart(lines, day, dt.date(2026, 12, 31), label=SCRIPT, today=dt.date(2026, 11, 20), bands=True)
    bars = svg.bar_chart([(SCRIPT, 0.55, "#e8b422")], label="Score by team")
    columns = svg.histogram([1, 0, 3], ["#d64545", "#e8b422", "#3a9a5b"], label="Teams")
    for text in (drawn, bars, columns):
        assert text.startswith("<svg") and text.endswith("</svg>")
        assert "<script" not in text and "http" not in text
    assert drawn.count("<polyline") == 2 and "stroke-dasharray" in drawn


@pytest.mark.parametrize(("value", "text"), [(None, "–"), (float("nan"), "–"), (0.554, "55%"), (1, "100%")])
def test_percent(value, text):
    assert markup.percent(value) == text


@pytest.mark.parametrize(("value", "unit", "text"), [
    (1915.0, "subscribers", "1,915 subscribers"), (4.6, "%", "4.6%"), (36.0, "h", "36h"), (None, "x", "–"),
    (182000.0, "EUR", "182,000 EUR"), (3.0, "<b>", "3 &lt;b&gt;"),
])
def test_value_text(value, unit, text):
    assert markup.value_text(value, unit) == text


def test_bars_clamp_and_mark_the_expected_progress():
    assert 'width:100.0%' in markup.bar(1.7, 0.5) and 'left:50.0%' in markup.bar(1.7, 0.5)
    assert 'width:0.0%' in markup.bar(float("nan")) and "<i" not in markup.bar(0.2)
    assert markup.esc(None) == "" and markup.esc('"<&>') == "&quot;&lt;&amp;&gt;"


def test_the_index_lists_failures_and_links_relatively(tmp_path):
    good = Outcome("company", "company", ok=True, html=tmp_path / "company.html", pdf=tmp_path / "company.pdf",
                   figures={"subject": "the company", "score": 0.5, "grade": "yellow", "objectives": 3,
                            "key_results": 9, "verdicts": {"exceeded": 1, "met": 1, "falling_short": 1},
                            "statuses": {"at_risk": 2, "off_track": 1}, "alignment": 0.9, "ended": True})
    bad = Outcome("team:x", "team-x", error=f"ReportError: no team {SCRIPT}")
    page_ = index.render_index([good, bad], QUARTER)
    assert 'href="company.html"' in page_ and 'href="company.pdf"' in page_
    assert "failed" in page_ and "&lt;script&gt;" in page_ and SCRIPT not in page_
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page_)


@pytest.mark.parametrize(("scope", "viewer"), [
    ("team:fleet", ""), ("team:fleet", PARTICIPANT), ("team:support", ""), (f"person:{OWNER}", OWNER),
    ("team:nosuch", ""),
])
def test_a_scope_read_narrowly_from_the_store_gets_what_a_full_snapshot_gives(store_file, tmp_path, scope, viewer):
    snapshot = data.write_snapshot(str(store_file), QUARTER, tmp_path)
    if scope == "team:nosuch":
        for source in ({"db": str(store_file)}, {"snapshot": str(snapshot)}):
            with pytest.raises(ReportError, match="no team 'nosuch'"):
                review.build(quarter=QUARTER, scope=scope, as_of=AS_OF, **source)
        return
    narrow = review.build(str(store_file), QUARTER, scope, viewer, AS_OF)
    full = review.build("", QUARTER, scope, viewer, AS_OF, str(snapshot))
    _, read = data.load_quarter(str(store_file), QUARTER, scope=parse_scope(scope))
    _, everything = data.load_quarter(str(store_file), QUARTER)
    assert len(read["checkins"]) < len(everything["checkins"])  # only what the scope needs was read
    for name in ("shown", "listed", "key_results", "notes"):
        pd.testing.assert_frame_equal(getattr(narrow, name), getattr(full, name))
    assert narrow.figures() == full.figures() and page(narrow) == page(full)


def test_the_direct_read_of_a_store_with_several_quarters_keeps_to_one(store_file, tmp_path):
    path = tmp_path / "two-quarters.db"
    shutil.copyfile(store_file, path)
    store = Store(path)
    store.write_workbook(Workbook.from_records(
        objectives=[{"id": "NEXT-1", "title": "Next quarter's aim", "level": "company", "quarter": "2027-Q1"}],
        key_results=[{"id": "NEXT-1.1", "objective": "NEXT-1", "title": "Raise NPS from 40 to 50", "start": 40,
                      "target": 50}],
        checkins=[{"key_result": "NEXT-1.1", "date": dt.date(2027, 1, 8), "value": 41}],
    ))
    for quarter in (QUARTER, "2027-Q1"):
        known, chosen, fast = data._read_sqlite(str(path), quarter, None)
        expected = store.read_workbook(quarter=quarter)
        assert known == [QUARTER, "2027-Q1"] and chosen == quarter
        for name in expected.tables:
            pd.testing.assert_frame_equal(fast[name].reset_index(drop=True), expected[name].reset_index(drop=True))
    store.close()


def test_the_lines_about_what_was_left_out_use_the_right_plural(reviews):
    lessons = str(reviews("company").lessons())
    left_out = re.search(r"… and ([\d,]+) key results? with notes more", lessons)
    assert left_out and int(left_out.group(1).replace(",", "")) > 1, lessons[-400:]
    assert "key results with notes more" in lessons and "notess" not in lessons
    template = (Path(review.__file__).resolve().parents[1] / "pages" / "templates" / "report").glob("*.html")
    for path in template:  # a phrase whose noun is not its last word ("kind of finding") names its own plural
        for noun, many in re.findall(r'more\(\w+, "([^"]+)"(?:, "([^"]+)")?\)', path.read_text(encoding="utf-8")):
            assert many or not re.search(r"\b(?:of|with)\b", noun), f"{path.name}: give the plural of {noun!r}"
