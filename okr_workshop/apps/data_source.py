"""The "Data source" area under a saved key result in the objective form.

A data-minded participant names where the key result's value comes from (a
database and a query, or a notebook), tries it with "Test the query"
(nothing is written) and attaches it, so ``okr-workshop measure`` records
its value.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import ipywidgets as W

from okr_workshop.apps.base import error_text, message_html
from okr_workshop.exceptions import OkrWorkshopError
from okr_workshop.measure import Source, attach_source, detach_source, test_source
from okr_workshop.store.database import Store

__all__ = ["DataSourcePanel"]

_PASSWORD = re.compile(r"://[^/@:]*:[^/@]+@")
"""A password written into a database URL (``postgresql://user:secret@host/db``)."""


class DataSourcePanel:
    """Where a saved key result's value comes from, in a collapsed "Data source" area under its row.

    A database URL and a SQL query, or the path of a notebook. "Test the query"
    runs the source for today and shows the value it gives, or why it gives
    none, and writes nothing; "Attach" keeps it in the store for ``okr-workshop
    measure`` (as attached by ``by()``, the form's owner at the time); "Detach"
    forgets it. A password in a database URL is never shown: messages name the
    source with :meth:`~okr_workshop.measure.Source.described`, and an attached
    URL that holds one is not written back into the box.
    """

    def __init__(self, store: Store, key_result: str, attached: Source | None, by: Callable[[], str | None]):
        self.store, self.key_result, self.by = store, key_result, by
        wide = W.Layout(width="38rem")
        label = {"description_width": "6rem"}
        self.db = W.Text(description="Database", placeholder="sqlite:///analytics.db, or a URL with ${PASSWORD}",
                         layout=wide, style=label)
        self.sql = W.Textarea(description="SQL", layout=W.Layout(width="38rem", height="4.5rem"), style=label,
                              placeholder="SELECT count(*) FROM signups WHERE created_at <= :as_of")
        self.notebook = W.Text(description="or notebook", placeholder="measures/churn.ipynb (instead of a query)",
                               layout=wide, style=label)
        self.test_button = W.Button(description="Test the query", icon="play",
                                    tooltip="Run it for today and show the value it gives; nothing is written")
        self.test_button.on_click(lambda _: self.test())
        self.attach_button = W.Button(description="Attach", icon="link",
                                      tooltip="Record this key result's value from this source from now on")
        self.attach_button.on_click(lambda _: self.attach())
        self.detach_button = W.Button(description="Detach", icon="unlink",
                                      tooltip="Check this key result in by hand again (its recorded values stay)")
        self.detach_button.on_click(lambda _: self.detach())
        self.message = W.HTML()
        body = W.VBox([self.db, self.sql, self.notebook,
                       W.HBox([self.test_button, self.attach_button, self.detach_button]), self.message])
        self.widget = W.Accordion(children=[body], selected_index=None, layout=W.Layout(width="44rem"))
        self.widget.add_class("okr-data-source")
        self._show(attached)

    def _show(self, attached: Source | None) -> None:
        """Fill the boxes with the attached source (a URL holding a password stays out) and title the area."""
        self.widget.set_title(0, "Data source: attached" if attached else "Data source")
        if attached is None:
            return
        self.sql.value = attached.sql or ""
        self.notebook.value = str(attached.notebook or "")
        self.db.value = "" if _PASSWORD.search(attached.db or "") else attached.db or ""
        self.message.value = message_html(f"Attached: {attached.described()}.", "info")

    def _fields(self) -> dict[str, str | None]:
        """What the boxes hold, blanks as None."""
        return {name: box.value.strip() or None
                for name, box in (("db", self.db), ("sql", self.sql), ("notebook", self.notebook))}

    def _problem(self) -> str | None:
        """Why the boxes name no source, or None when they name one."""
        fields = self._fields()
        if fields["notebook"] and (fields["db"] or fields["sql"]):
            return "Give a database and a query, or a notebook: not both."
        if not fields["notebook"] and not (fields["db"] and fields["sql"]):
            return "Give a database URL and a SQL query, or the path of a notebook."
        return None

    def source(self) -> Source | None:
        """The source the boxes name, or None (with the reason shown) when they name none."""
        if problem := self._problem():
            self.message.value = message_html(problem, "error")
            return None
        fields = self._fields()
        notebook = Path(fields["notebook"]) if fields["notebook"] else None
        return Source(self.key_result, 0, db=fields["db"], sql=fields["sql"], notebook=notebook)

    def test(self) -> float | None:
        """Run the source for today without recording anything; show and return its value (None: it gave none)."""
        source = self.source()
        if source is None:
            return None
        outcome = test_source(source)
        if outcome.ok:
            self.message.value = message_html(
                f"Today it gives {outcome.value:,.6g} for {self.key_result} ({source.described()}).", "success")
            return outcome.value
        self.message.value = message_html(f"It gives no value ({source.described()}): {outcome.error}.", "error")
        return None

    def attach(self) -> bool:
        """Keep the source in the store for this key result (replacing one attached before); say so."""
        if self.source() is None:
            return False
        try:
            attached = attach_source(self.store, self.key_result, **self._fields(), by=self.by())
        except OkrWorkshopError as error:
            self.message.value = message_html(error_text(error), "error")
            return False
        self._show(attached)
        self.message.value = message_html(
            f"Attached: okr-workshop measure records {self.key_result} from {attached.described()} from now on.",
            "success")
        return True

    def detach(self) -> None:
        """Forget the attached source: the key result is checked in by hand again; its recorded values stay."""
        detach_source(self.store, self.key_result)
        self._show(None)
        self.message.value = message_html(
            f"Detached: {self.key_result} is checked in by hand again (its recorded values stay).", "info")
