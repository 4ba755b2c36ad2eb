"""Who is at the keyboard: identity from the kernel's environment, pickers that cannot be switched, what a
person may see, and what a facilitator saves for someone else, read back from a real SQLite store."""

from __future__ import annotations

import datetime as dt
import shutil
import stat
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from traitlets import TraitError

from okr_workshop.apps import CascadeApp, CheckinsApp, IndividualApp, OnboardingCourse, ReviewApp
from okr_workshop.identity import (
    FREE,
    HUB_USER_VAR,
    LINKS_VAR,
    QUERY_VAR,
    Identity,
    PersonalTokens,
    current_identity,
    token_digest,
)
from okr_workshop.store.database import RECORDED_BY, Store
from okr_workshop.store.migrate import revision_of, upgrade
from okr_workshop.tracking.review import adjust

ROSA = "rosa.jimenez@brightwell.example"  # the facilitator
AISHA = "aisha.bello@brightwell.example"  # fleet, member; owns I-aisha-1
EMEKA = "emeka.obi@brightwell.example"  # fleet, member; owns I-emeka-1, participants only (with Dmitri)
DMITRI = "dmitri.volkov@brightwell.example"  # fleet, manager; a participant of I-emeka-1
PRIVATE = "I-emeka-1"
AFTER = dt.date(2027, 1, 8)  # the example's quarter, 2026-Q4, has ended


@pytest.fixture
def store(example_db: Path, tmp_path: Path) -> Store:
    """A private copy of the example company's store."""
    shutil.copyfile(example_db, tmp_path / "workshop.db")
    store = Store(tmp_path / "workshop.db")
    yield store
    store.close()


@pytest.fixture
def people(example_db: Path) -> pd.DataFrame:
    store = Store(example_db)
    try:
        return store.read_workbook()["people"]
    finally:
        store.close()


def hub(people: pd.DataFrame, user: str) -> Identity:
    return current_identity(people, {HUB_USER_VAR: user})


def recorded(store: Store, table: str, **where) -> list[dict]:
    """The rows of ``table`` matching ``where``, with their bookkeeping columns."""
    clauses = " AND ".join(f"{name} = :{name}" for name in where)
    with store.engine.connect() as conn:
        return [dict(row) for row in conn.execute(sa.text(f"SELECT * FROM {table} WHERE {clauses}"), where).mappings()]


# --------------------------------------------------------------------------- from the environment


def test_without_hub_or_personal_links_anyone_picks_themself(people):
    assert current_identity(people, {}) == FREE
    assert FREE.person is None and FREE.can_act_for_others and FREE.source == "free" and FREE.problem is None


@pytest.mark.parametrize("user", [AISHA, "Aisha.Bello@Brightwell.Example", "aisha.bello", "AISHA.BELLO"])
def test_a_hub_user_is_the_person_with_that_id_or_e_mail(people, user):
    assert hub(people, user) == Identity(person=AISHA, can_act_for_others=False, source="hub")


def test_a_hub_user_named_by_e_mail_is_the_person_with_that_handle():
    people = pd.DataFrame({"id": ["ana", "ben"], "name": ["Ana", "Ben"], "team": [None, None],
                           "role": ["member", "facilitator"]})
    assert hub(people, "Ana@Example.org").person == "ana"
    assert hub(people, "ben@example.org") == Identity(person="ben", can_act_for_others=True, source="hub")


def test_a_hub_user_who_is_nobody_here_is_told_to_ask_the_facilitator(people):
    found = hub(people, "stranger")
    assert (found.person, found.can_act_for_others, found.source) == (None, False, "hub")
    assert found.problem == ("You are signed in as stranger, but stranger is not among the workshop's people; "
                             "ask your facilitator to add you.")


def test_a_hub_user_who_could_be_several_people_is_not_guessed():
    people = pd.DataFrame({"id": ["ana@north.example", "ana@south.example"], "name": ["Ana N", "Ana S"],
                           "team": [None, None], "role": ["member", "member"]})
    found = hub(people, "ana")
    assert found.person is None and "ana@north.example, ana@south.example" in found.problem


def test_the_hub_facilitator_may_act_for_others_and_a_participant_may_not(people):
    assert hub(people, ROSA) == Identity(person=ROSA, can_act_for_others=True, source="hub")
    assert hub(people, DMITRI).can_act_for_others is False  # a manager is a participant here


def test_the_hub_decides_even_where_personal_links_are_set(people, tmp_path):
    links = PersonalTokens("0" * 64).write(tmp_path / "links.json")
    assert current_identity(people, {HUB_USER_VAR: AISHA, LINKS_VAR: str(links)}).source == "hub"


@pytest.fixture
def links(people, tmp_path):
    """Personal tokens for Aisha and Rosa and the facilitator's token, their hashes in a file: (tokens, env)."""
    tokens, hashes = PersonalTokens.issue([AISHA, ROSA], "the-facilitators-token")
    path = hashes.write(tmp_path / "links.json")

    def env(query: str | None) -> dict[str, str]:
        return {LINKS_VAR: str(path)} | ({QUERY_VAR: query} if query is not None else {})

    return tokens, env


def test_a_personal_token_is_its_person(people, links):
    tokens, env = links
    assert current_identity(people, env(f"token={tokens[AISHA]}")) == Identity(AISHA, False, "personal-link")
    assert current_identity(people, env(f"x=1&token={tokens[ROSA]}")) == Identity(ROSA, True, "personal-link")


@pytest.mark.parametrize("query", [None, "", "token=", "x=1", "token=made-up"])
def test_a_page_without_a_known_personal_token_asks_for_the_persons_link(people, links, query):
    _, env = links
    found = current_identity(people, env(query))
    assert (found.person, found.can_act_for_others, found.source) == (None, False, "personal-link")
    assert found.problem.startswith("Open the link your facilitator gave you")


def test_the_facilitators_token_acts_as_the_workshops_facilitator(people, links):
    _, env = links
    assert current_identity(people, env("token=the-facilitators-token")) == Identity(ROSA, True, "personal-link")
    no_facilitator = people[people["role"] != "facilitator"]
    assert current_identity(no_facilitator, env("token=the-facilitators-token")) == Identity(
        None, True, "personal-link")


def test_personal_links_that_cannot_be_read_show_no_app(people, tmp_path):
    found = current_identity(people, {LINKS_VAR: str(tmp_path / "gone.json"), QUERY_VAR: "token=abc"})
    assert found.person is None and found.problem.startswith("Open the link your facilitator gave you")


def test_only_hashes_of_the_tokens_are_kept_and_only_this_user_reads_them(links, tmp_path):
    tokens, _ = links
    path = tmp_path / "links.json"
    text = path.read_text()
    assert all(token not in text for token in tokens.values()) and "the-facilitators-token" not in text
    assert token_digest(tokens[AISHA]) in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert PersonalTokens.read(path).person_of(tokens[AISHA]) == AISHA
    assert len(set(tokens.values())) == 2 and all(len(token) >= 32 for token in tokens.values())


# --------------------------------------------------------------------------- the picker


def test_a_participants_picker_is_fixed_to_themself(store, people):
    app = IndividualApp(store=store, identity=hub(people, AISHA))
    dropdown = app.person.dropdown
    assert dropdown.disabled and [value for _, value in dropdown.options] == [AISHA]
    assert dropdown.label == "Aisha Bello (Fleet Operations)" and app.person.value == AISHA
    with pytest.raises(TraitError):
        dropdown.value = EMEKA
    # even a picker forced to another person leaves the app working for Aisha, seeing what Aisha may see
    dropdown.options = [("Emeka Obi", EMEKA)]
    dropdown.value = EMEKA
    app.refresh()
    assert app.person.value == AISHA and app.form.owner == AISHA
    assert "I-aisha-1" in app.mine.value and PRIVATE not in app.mine.value


def test_a_facilitators_picker_stays_open_starting_at_themself(store, people):
    app = IndividualApp(store=store, identity=hub(people, ROSA))
    assert not app.person.dropdown.disabled and app.person.value == ROSA
    assert {AISHA, EMEKA, ROSA} <= {value for _, value in app.person.dropdown.options}
    app.person.dropdown.value = AISHA
    assert app.person.value == AISHA and app.form.owner == AISHA


def test_in_free_mode_the_picker_is_as_it_always_was(store):
    app = IndividualApp(store=store)
    assert app.identity == FREE and app.person.value is None and not app.person.dropdown.disabled
    assert app.person.dropdown.options[0] == ("Pick your name", "")
    app.person.dropdown.value = EMEKA
    assert PRIVATE in app.mine.value  # Emeka, having picked himself, sees his own plan


def test_the_apps_read_the_kernels_environment(store, monkeypatch):
    monkeypatch.setenv(HUB_USER_VAR, "aisha.bello")
    app = IndividualApp(store=store)
    assert app.identity.person == AISHA and app.person.dropdown.disabled


def test_a_hub_user_who_is_nobody_here_sees_only_the_message(store, people):
    app = CascadeApp(store=store, identity=hub(people, "stranger"))
    assert app.shown is app.refusal
    assert "stranger is not among the workshop&#x27;s people" in app.refusal.children[1].value
    assert app.person.dropdown.disabled and app.person.value is None
    bundle = app._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == app.refusal.model_id


# --------------------------------------------------------------------------- what a person sees


def test_a_participants_app_holds_no_one_elses_participants_only_objective(store, people):
    assert PRIVATE in CascadeApp(store=store, identity=hub(people, EMEKA)).tree.value  # his own: shown to him
    assert PRIVATE in CascadeApp(store=store, identity=hub(people, DMITRI)).tree.value  # a participant
    app = CascadeApp(store=store, identity=hub(people, AISHA))
    assert "I-aisha-1" in app.tree.value and PRIVATE not in app.tree.value
    checkins = CheckinsApp(store=store, identity=hub(people, AISHA), today=dt.date(2026, 11, 20))
    assert PRIVATE not in checkins.overview.value


def test_a_facilitator_acting_for_someone_still_sees_only_what_the_facilitator_may(store, people):
    app = IndividualApp(store=store, identity=hub(people, ROSA))
    app.person.dropdown.value = EMEKA
    assert app.form.owner == EMEKA and PRIVATE not in app.mine.value
    cascade = CascadeApp(store=store, identity=hub(people, ROSA))
    cascade.person.dropdown.value = EMEKA
    assert PRIVATE not in cascade.tree.value


def test_only_who_may_act_for_others_sees_the_course_cohort(store, people, tmp_path):
    learner = OnboardingCourse(store=store, identity=hub(people, EMEKA), certificates=tmp_path, pdf=False)
    assert learner.tabs.titles == ("Course",)
    facilitator = OnboardingCourse(store=store, identity=hub(people, ROSA), certificates=tmp_path, pdf=False)
    assert facilitator.tabs.titles == ("Course", "Cohort (facilitator)")


# --------------------------------------------------------------------------- what is recorded


def _type_objective(form, title: str, key_results: list[str]) -> None:
    form.title.value = title
    for row, text in zip(form.rows, key_results, strict=False):
        row.title.value = text


def test_a_participant_saves_as_themself_with_no_further_step(store, people):
    app = IndividualApp(store=store, identity=hub(people, AISHA))
    _type_objective(app.form, "Keep every battery healthy through winter", [
        "Cut battery breakdowns from 40 to 15 per month by 15 December"])
    app.form.save_button.click()
    assert app.form.message.startswith("Saved as I-aisha-2.")
    (objective,) = recorded(store, "objectives", id="I-aisha-2")
    assert (objective["owner"], objective["saved_by"], objective["recorded_by"]) == (AISHA, AISHA, AISHA)
    (key_result,) = recorded(store, "key_results", objective="I-aisha-2")
    assert (key_result["owner"], key_result["recorded_by"]) == (AISHA, AISHA)


def test_a_facilitator_saving_for_someone_records_both(store, people):
    app = IndividualApp(store=store, identity=hub(people, ROSA))
    app.person.dropdown.value = AISHA
    _type_objective(app.form, "Keep every battery healthy through winter", [
        "Cut battery breakdowns from 40 to 15 per month by 15 December"])
    app.form.save_button.click()
    (objective,) = recorded(store, "objectives", id="I-aisha-2")
    assert (objective["owner"], objective["recorded_by"]) == (AISHA, ROSA)
    (key_result,) = recorded(store, "key_results", objective="I-aisha-2")
    assert (key_result["owner"], key_result["recorded_by"]) == (AISHA, ROSA)

    checkins = CheckinsApp(store=store, identity=hub(people, ROSA), today=dt.date(2026, 11, 20))
    checkins.person.dropdown.value = AISHA
    checkins.key_result.value = "I-aisha-2.1"
    checkins.value.value = "31"
    assert checkins.save()
    (checkin,) = recorded(store, "checkins", key_result="I-aisha-2.1")
    assert (checkin["author"], checkin["recorded_by"], checkin["value"]) == (AISHA, ROSA, 31.0)

    adjust(store, "I-aisha-2.1", {"target": 20}, reason="The new chargers came late", author=AISHA,
           date="2026-11-21", recorded_by=ROSA)
    (change,) = recorded(store, "changes", key_result="I-aisha-2.1")
    assert (change["author"], change["recorded_by"], change["new"]) == (AISHA, ROSA, "20")
    assert recorded(store, "key_results", id="I-aisha-2.1")[0]["recorded_by"] == ROSA


def test_a_facilitator_records_a_reflection_and_a_retro_note_for_someone(store, people):
    app = ReviewApp(store=store, today=AFTER, identity=hub(people, ROSA))
    app.team.value = "fleet"
    app.person.dropdown.value = DMITRI
    app.objective.value = "FLEET-1"
    app.reflection.learned.value = "Order parts before the first frost"
    assert app.save_reflection()
    (reflection,) = recorded(store, "reflections", objective="FLEET-1", author=DMITRI)
    assert (reflection["learned"], reflection["recorded_by"]) == ("Order parts before the first frost", ROSA)
    app.retro_text.value = "Keep the Friday parts check"
    assert app.add_note("continue", app.retro_text)
    (note,) = recorded(store, "retro", text="Keep the Friday parts check")
    assert (note["author"], note["recorded_by"]) == (DMITRI, ROSA)


def test_in_free_mode_the_person_picked_is_who_recorded(store):
    app = CheckinsApp(store=store, today=dt.date(2026, 11, 20))
    app.person.dropdown.value = AISHA
    app.key_result.value = app.key_result.options[1][1]
    app.value.value = "12"
    assert app.save()
    row = recorded(store, "checkins", key_result=app.key_result.value)[-1]
    assert (row["author"], row["recorded_by"]) == (AISHA, AISHA)


def test_a_store_made_before_recorded_by_gains_it_empty_and_records_from_then_on(tmp_path, valid_dir):
    path = tmp_path / "old.db"
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        upgrade(conn, "0006")
    engine.dispose()
    from okr_workshop.io import read_workbook

    old = Store(path)  # upgraded as it opens
    with old.engine.connect() as conn:
        assert revision_of(conn) == "0007"
        for table in RECORDED_BY:
            assert "recorded_by" in {c["name"] for c in sa.inspect(conn).get_columns(table)}, table
    old.write_workbook(read_workbook(valid_dir))
    assert {row["recorded_by"] for row in recorded(old, "checkins", key_result="C1.1")} == {None}  # imported
    old.close()
