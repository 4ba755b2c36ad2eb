"""The workshop on JupyterHub, as deploy/jupyterhub_config.py sets it up (test mode), on one PostgreSQL store.

One hub (with configurable-http-proxy and the idle culler) for the module, on a
throwaway PostgreSQL server holding the example company. Twenty people of the
company log in through the hub's login page, a few at a time, each getting a
server of their own; each opens the individual app in headless chromium, finds
themself as the one it works for, and saves an objective. All twenty land in
the store, each owned by its person. The timing figures live in
``benchmarks/bench_hub.py``, which starts its hub the same way.

Without configurable-http-proxy (``sh .ci/system.sh test`` installs it with
npm), chromium or PostgreSQL the tests skip, saying why; under ``CI=true`` they fail.
"""

from __future__ import annotations

import asyncio
import importlib.util
import re
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from browser.helpers import CHROMIUM, CHROMIUM_ARGS, EXAMPLE, ROOT, VIEWPORT, browser_missing, foreign
from commands import Command
from needs import need

from okr_workshop.store.database import Store

pytestmark = pytest.mark.integration

USERS = 20
AT_ONCE = 4
"""People logging in at the same moment: spawning twenty servers at once would only queue on two cores."""
PAGE_TIMEOUT_MS = 180_000
APP = "03_individual_okrs.ipynb"
KR_INPUT = ".okr-kr-title input"


def _bench_hub():
    spec = importlib.util.spec_from_file_location("bench_hub", ROOT / "benchmarks" / "bench_hub.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


bench_hub = _bench_hub()


# --------------------------------------------------------------------------- the store and the hub


@pytest.fixture(scope="module")
def hub_store(pg_cluster, tmp_path_factory) -> str:
    """A PostgreSQL database holding the example company, filled with ``okr-workshop import``; its URL."""
    url = pg_cluster.create_database()
    cli = Command(tmp_path_factory.mktemp("import"), {})
    done = cli("import", EXAMPLE, "--db", url)
    assert done.returncode == 0, done.stderr
    return url


@pytest.fixture(scope="module")
def people(hub_store: str) -> dict[str, str]:
    """Twenty people of the store who are not facilitators (a facilitator may act for others): {id: name}."""
    return dict(bench_hub.people_to_log_in(hub_store, USERS))


@pytest.fixture(scope="module")
def hub(hub_store: str, people: dict[str, str], tmp_path_factory):
    """The hub in test mode on ``hub_store`` (its people in the store first); no server of it may outlive it."""
    need(bench_hub.proxy_missing(), "JupyterHub tests")
    need(browser_missing(), "JupyterHub tests")
    running = bench_hub.start_hub(hub_store, tmp_path_factory.mktemp("hub"))
    try:
        yield running
    finally:
        servers = list(bench_hub.user_servers(running).values())
        status = running.stop()
        left = [pid for pid in servers if Path(f"/proc/{pid}").exists()]
        assert status == 0, f"the hub exited with {status}:\n{running.log()[-3000:]}"
        assert not left, f"single-user servers {left} outlived the hub"


async def _chromium(playwright):
    return await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


# --------------------------------------------------------------------------- twenty people at once


async def _write_an_objective(browser, hub, user: str, name: str, gate: asyncio.Semaphore,
                              requests: list[str]) -> str:
    """``user`` logs in, opens the individual app as themself and saves an objective; its id."""
    async with gate:
        context = await browser.new_context(viewport=VIEWPORT)
        context.set_default_timeout(PAGE_TIMEOUT_MS)
        context.on("request", lambda request: requests.append(request.url))
        try:
            page = await bench_hub.log_in(context, hub, user, f"voila/render/{APP}")
            await page.locator(KR_INPUT).first.wait_for()
            picker = page.locator("select").first  # "You are": this person, and nobody else to pick
            assert await picker.is_disabled()
            labels = [label.replace("\xa0", " ") for label in await picker.locator("option").all_inner_texts()]
            assert [label.split(" (")[0] for label in labels] == [name]
            await page.fill(".okr-objective-title input", f"Help my team land its quarter ({user})")
            await page.locator(KR_INPUT).first.fill("Close 12 of the team's open onboarding tickets by 15 December")
            await page.locator(".okr-save").click()
            saved = page.locator(".okr-msg", has_text=re.compile(r"Saved as [A-Z]"))
            await saved.wait_for()
            return re.search(r"Saved as ([\w.-]+?)\.", await saved.inner_text())[1]
        finally:
            await context.close()


async def _everyone_writes(hub, people: dict[str, str], requests: list[str]) -> list[str]:
    from playwright.async_api import async_playwright

    gate = asyncio.Semaphore(AT_ONCE)
    async with async_playwright() as playwright:
        browser = await _chromium(playwright)
        try:
            return list(await asyncio.gather(*(_write_an_objective(browser, hub, user, name, gate, requests)
                                               for user, name in people.items())))
        finally:
            await browser.close()


def test_twenty_people_log_in_and_each_saves_an_objective_of_their_own(hub, hub_store, people):
    requests: list[str] = []
    began = time.perf_counter()
    saved = asyncio.run(_everyone_writes(hub, people, requests))
    took = time.perf_counter() - began
    print(f"{USERS} people logged in, {AT_ONCE} at a time, and saved an objective each in {took:.0f} s")
    assert len(set(saved)) == USERS
    store = Store(hub_store)
    query = sa.text("SELECT id, level, owner, recorded_by, title FROM objectives WHERE id IN :ids")
    with store.engine.connect() as conn:
        rows = conn.execute(query.bindparams(sa.bindparam("ids", expanding=True)), {"ids": saved}).all()
    store.close()
    assert sorted((row.id, row.level, row.owner, row.recorded_by) for row in rows) == \
        sorted((objective, "individual", user, user) for objective, user in zip(saved, people, strict=True))
    assert all(row.title == f"Help my team land its quarter ({row.owner})" for row in rows)
    assert set(bench_hub.user_servers(hub)) >= set(people), "a person's server stopped"
    assert foreign(requests) == []


# --------------------------------------------------------------------------- what a person lands on


async def _landing(hub, user: str) -> tuple[str, list[str]]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await _chromium(playwright)
        try:
            page = await bench_hub.log_in(await browser.new_context(), hub, user)
            links = page.locator("ol.okr-apps a")
            await links.first.wait_for(timeout=PAGE_TIMEOUT_MS)
            landed, hrefs = page.url, [await link.get_attribute("href") for link in await links.all()]
            await bench_hub.leave(page)
            return landed, hrefs
        finally:
            await browser.close()


def test_logging_in_opens_the_index_of_apps_on_ones_own_server(hub, people):
    user = next(iter(people))
    url, links = asyncio.run(_landing(hub, user))
    assert url == f"{hub.url}{hub.user_path(user, 'voila/render/index.ipynb')}"
    assert hub.user_path(user, f"voila/render/{APP}") in links


def test_the_idle_culler_watches_the_servers_with_its_own_role(hub):
    deadline = time.monotonic() + 60
    while "200 GET /hub/api/users" not in hub.log() and time.monotonic() < deadline:
        time.sleep(0.5)
    calls = [line for line in hub.log().splitlines() if "(idle-culler@" in line]
    assert any(" 200 GET /hub/api/users" in line for line in calls), "\n".join(calls) or "the culler never asked"
    assert not any(" 403 " in line for line in calls)
