"""What every workshop app shares: the store, the quarter, who is using it, and how it shows itself.

An app is a plain class holding ipywidgets. Create it from Python, drive it by
setting widget values and calling ``button.click()``, and display it in a
notebook (it renders as its ``widget``).

Who uses an app is its :class:`~okr_workshop.identity.Identity`, read from the
kernel's environment unless given: under JupyterHub or a personal link the
"You are" picker is fixed to that person (a facilitator's stays open, for
acting on someone's behalf); elsewhere anyone picks themself. Apps read the
store as the person at the keyboard may see it, so participants-only
objectives reach their participants only, and what they save records whom it
is for and who recorded it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import sys
from collections.abc import Callable
from typing import ClassVar

import ipywidgets as W
import pandas as pd
import traitlets as T

from okr_workshop.exceptions import OkrWorkshopError, WorkbookError
from okr_workshop.identity import FREE, Identity, current_identity, people_one_can_be
from okr_workshop.model import Quarter
from okr_workshop.smart.render import CSS
from okr_workshop.store.database import Store
from okr_workshop.workbook import Workbook

__all__ = [
    "MESSAGE_KINDS", "App", "Debouncer", "PersonPicker", "Telling", "choices", "current_quarter", "default_quarter",
    "kernel_loop", "message_html", "people_choices", "style_html",
]

APP_CSS = CSS + """
.okr-app{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2430;line-height:1.4}
.okr-app h2{font-size:1.5rem;margin:.2rem 0}.okr-app h3{font-size:1.15rem;margin:.6rem 0 .3rem}
.okr-muted{color:#596273}.okr-ok{color:#1d6b35;font-weight:600}
.okr-msg{padding:.45rem .8rem;border-radius:6px;margin:.3rem 0}
.okr-msg.success{background:#dff3e4;color:#1d4d2b}.okr-msg.error{background:#fde2e1;color:#7a1616}
.okr-msg.info{background:#e6f0fa;color:#1c3d5e}
.okr-card{border:1px solid #d8dde6;border-radius:8px;padding:.5rem .8rem;margin:.35rem 0;background:#fff}
.okr-tag{display:inline-block;font-size:.75rem;padding:0 .4rem;border-radius:8px;background:#eef0f4;
color:#394150;margin-left:.35rem}
.okr-present{font-size:1.35rem}.okr-present li{margin:.2rem 0}
.okr-bar{display:inline-block;height:.7rem;border-radius:4px;background:#d8dde6;width:8rem;vertical-align:middle;
position:relative}.okr-bar span{position:absolute;left:0;top:0;bottom:0;border-radius:4px}
.okr-table{border-collapse:collapse;width:100%}.okr-table td,.okr-table th{border-bottom:1px solid #eef0f4;
padding:.25rem .5rem;text-align:left}.okr-table th{color:#596273;font-weight:600}
"""


def style_html() -> str:
    """The apps' stylesheet, to put once on a page."""
    return f"<style>{APP_CSS}</style>"


def message_html(text: str, kind: str = "info") -> str:
    """A short message box (``success``, ``error`` or ``info``); the text is escaped, newlines kept."""
    body = "<br>".join(html.escape(line) for line in text.splitlines())
    return f'<div class="okr-app"><div class="okr-msg {kind}">{body}</div></div>'


def error_text(error: Exception) -> str:
    """What went wrong, in the words a participant can act on."""
    if isinstance(error, WorkbookError):
        lines = ["Not saved yet. Please fix:"]
        for problem in error.problems:
            where = problem.path.removeprefix("the form").strip(" ()") or "objective"
            field = f" {problem.column}" if problem.column else ""
            lines.append(f"• {where}{field}: found {problem.found}, expected {problem.expected}")
        return "\n".join(lines)
    return str(error)


def current_quarter(today: dt.date | None = None) -> str:
    """The quarter a date falls in (today by default), as ``2026-Q4``."""
    return str(Quarter.of(today or dt.date.today()))


def default_quarter(store: Store) -> str:
    """The latest quarter the store has objectives for, else today's quarter."""
    quarters = store.read_workbook()["objectives"]["quarter"].dropna()
    return max(quarters) if len(quarters) else current_quarter()


def choices(rows: pd.DataFrame) -> list[tuple[str, str]]:
    """``("C1 · Delight our riders", "C1")`` for each of ``rows`` (objectives or key results), in order: a dropdown's
    options.
    """
    return [(f"{row.id} · {row.title}", row.id) for row in rows.itertuples(index=False)]


def people_choices(people: pd.DataFrame) -> list[tuple[str, str]]:
    """``(name, id)`` for each of ``people`` (the id where there is no name), in order: whom a form may name."""
    return [(name if isinstance(name, str) else pid, pid)
            for pid, name in zip(people["id"], people["name"], strict=True)]


def kernel_loop() -> asyncio.AbstractEventLoop | None:
    """The event loop of the Jupyter kernel we run in, or None outside a kernel (scripts, tests)."""
    shell = sys.modules.get("IPython") and sys.modules["IPython"].get_ipython()
    if shell is None or getattr(shell, "kernel", None) is None:
        return None
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


class Debouncer:
    """Call ``fn`` once typing pauses for ``delay`` seconds; outside a Jupyter kernel, call it at once.

    In a kernel (Voila, JupyterLab), widget events arrive on the kernel's
    asyncio loop, so a pause is a timer there; in plain Python (tests,
    scripts) every change is handled immediately, even when some other
    library happens to run an event loop.
    """

    def __init__(self, fn: Callable[[], None], delay: float = 0.12):
        self.fn = fn
        self.delay = delay
        self._handle: asyncio.TimerHandle | None = None

    def __call__(self, *_args) -> None:
        """Restart the pause timer on the kernel's loop, or call ``fn`` now when there is no kernel."""
        loop = kernel_loop()
        if loop is None:
            self.fn()
            return
        if self._handle is not None:
            self._handle.cancel()
        self._handle = loop.call_later(self.delay, self.fn)


def _person_options(people: pd.DataFrame, team_names: dict[str, str]) -> list[tuple[str, str]]:
    """(label, id) for everyone one can pick, by name: ``Ana Ortiz (Sales)``."""
    options = []
    for row in people_one_can_be(people).sort_values("name", na_position="last").itertuples(index=False):
        team = team_names.get(row.team, row.team) if isinstance(row.team, str) else None
        label = (row.name if isinstance(row.name, str) else row.id) + (f" ({team})" if team else "")
        options.append((label, row.id))
    return options


class PersonPicker:
    """A dropdown of the people in the store: 'Who are you?', as far as the ``identity`` lets one choose.

    - Free (nobody known): everyone, starting at "Pick your name".
    - A facilitator: everyone, starting at themself; they may act for anyone.
    - Anyone else known: only themself, and the dropdown is disabled. :attr:`value`
      is the identity's person whatever the dropdown holds.
    """

    def __init__(self, people: pd.DataFrame, description: str = "You are", team_names: dict[str, str] | None = None,
                 identity: Identity = FREE):
        self.identity = identity
        everyone = _person_options(people, team_names or {})
        if not identity.can_act_for_others:
            options, value = [o for o in everyone if o[1] == identity.person], identity.person
        elif identity.person is not None:
            options, value = everyone, identity.person
        else:
            options, value = [("Pick your name", ""), *everyone], ""
        self.dropdown = W.Dropdown(options=options, value=value, description=description,
                                   disabled=not identity.can_act_for_others,
                                   layout=W.Layout(width="28rem"), style={"description_width": "6rem"})

    @property
    def value(self) -> str | None:
        """The person's id, or None before anyone is picked; always the identity's person for who may not choose."""
        if not self.identity.can_act_for_others:
            return self.identity.person
        return self.dropdown.value or None


MESSAGE_KINDS = ("info", "success", "error")
"""How a message reads: news, a thing done, or a thing refused."""


class Telling(T.HasTraits):
    """What a form said last, kept as data (``message`` of ``message_kind``) and drawn into ``message_box``."""

    message = T.Unicode("")
    message_kind = T.Enum(MESSAGE_KINDS, "info")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.message_box = W.HTML()

    def tell(self, text: str, kind: str = "info") -> None:
        """Say ``text`` (``info``, ``success`` or ``error``) under the form; "" says nothing."""
        with self.hold_trait_notifications():
            self.message, self.message_kind = text, kind

    @T.observe("message", "message_kind")
    def _render_message(self, _change) -> None:
        self.message_box.value = message_html(self.message, self.message_kind) if self.message else ""


class App(T.HasTraits):
    """Base of the workshop apps: a title, the store, the quarter, who is using it and a status line.

    The apps keep what they show in traits (plain data) and draw their HTML
    from them, so tests and notebooks read the data, not the markup; the status
    line shows :attr:`said`, styled by :attr:`said_kind`.

    ``identity`` defaults to :func:`~okr_workshop.identity.current_identity` of
    the kernel's environment. When it has a problem (a hub user who is none of
    the workshop's people, a page opened without a personal link), the app
    shows that message and nothing else.
    """

    title: ClassVar[str] = "OKR workshop"
    intro: ClassVar[str] = ""
    said = T.Unicode(help="The status line's last message, as plain text ('' before any).")
    said_kind = T.Enum(MESSAGE_KINDS, "info", help="How the status line's message reads (:data:`MESSAGE_KINDS`).")

    def __init__(self, db: str | None = None, *, quarter: str | None = None, store: Store | None = None,
                 identity: Identity | None = None):
        super().__init__()
        self.store = store or Store(db, create=False)
        self.quarter = quarter or default_quarter(self.store)
        everyone = self.store.read_workbook()
        self.people = everyone["people"]
        self.identity = identity if identity is not None else current_identity(self.people)
        self.teams = everyone["teams"]
        self.team_names = dict(zip(self.teams["id"], self.teams["name"], strict=True))
        self.status = W.HTML()
        self.header = W.HTML(
            style_html() + f'<div class="okr-app"><h2>{html.escape(self.title)}</h2>'
            f'<div class="okr-muted">{html.escape(self.quarter)}'
            + (f" · {html.escape(self.intro)}" if self.intro else "") + "</div></div>")
        self.widget = W.VBox([self.header], layout=W.Layout(max_width="70rem"))
        self.refusal = W.VBox([self.header, W.HTML(message_html(self.identity.problem or "", "error"))],
                              layout=W.Layout(max_width="70rem"))
        """What the page shows instead of the app when the identity has a problem."""

    def picker(self) -> PersonPicker:
        """The "You are" dropdown for this app's people and identity."""
        return PersonPicker(self.people, team_names=self.team_names, identity=self.identity)

    def team_of(self, person: str | None) -> str | None:
        """The team ``person`` is in (None for nobody, or someone in no team)."""
        team = self.people.set_index("id")["team"].get(person) if person else None
        return team if isinstance(team, str) else None

    def at_keyboard(self, picked: str | None) -> str | None:
        """Who uses the app: the person the identity knows, else (free) ``picked``; who reads and who records."""
        return self.identity.at_keyboard(picked)

    def workbook(self, viewer: str | None) -> Workbook:
        """The data of the app's quarter as the person at the keyboard may see it.

        None as ``viewer``: nobody known, so nothing private.

        ``viewer`` is the person picked; it counts only where the identity knows
        nobody (free): a facilitator acting for someone still reads as themself.
        """
        return self.store.read_workbook(self.quarter, viewer=self.at_keyboard(viewer) or "")

    def all_quarters(self, viewer: str | None) -> Workbook:
        """Every quarter's data as the person at the keyboard may see it (as :meth:`workbook`)."""
        return self.store.read_workbook(viewer=self.at_keyboard(viewer) or "")

    def say(self, text: str, kind: str = "info") -> None:
        """Show a message in the app's status line."""
        with self.hold_trait_notifications():
            self.said, self.said_kind = text, kind
        self.status.value = message_html(self.said, self.said_kind)

    def clear_status(self) -> None:
        """Empty the app's status line."""
        self.said, self.said_kind = "", "info"
        self.status.value = ""

    def fail(self, error: Exception) -> None:
        """Show an error the user can act on."""
        if not isinstance(error, OkrWorkshopError):
            raise error
        self.say(error_text(error), "error")

    @property
    def shown(self) -> W.Widget:
        """What the page shows: the app, or only its header and the identity's problem."""
        return self.refusal if self.identity.problem else self.widget

    def _repr_mimebundle_(self, **kwargs):
        return self.shown._repr_mimebundle_(**kwargs)
