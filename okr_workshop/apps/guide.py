"""The guide beside each form: the session's steps with prompts and timeboxes, and the example library."""

from __future__ import annotations

import functools
import html

import ipywidgets as W

from okr_workshop import library

_library = functools.cache(library.load_library)
_session = functools.cache(library.load_session)
"""Read once per kernel: every app and every person switch shows the same files."""

__all__ = ["ExamplesPanel", "Guide", "examples_html", "step_html"]


def step_html(session, index: int) -> str:
    """One step of a session: where we are, its prompt, a tip and its timebox; escaped."""
    step = session.steps[index]
    return (
        f'<div class="okr-app"><div class="okr-card"><div class="okr-muted">Step {index + 1} of '
        f"{len(session.steps)} · about {step.minutes} min</div><h3>{html.escape(step.title)}</h3>"
        f"<p>{html.escape(step.prompt)}</p>"
        + (f'<p class="okr-muted">Tip: {html.escape(step.tip)}</p>' if step.tip else "")
        + "</div></div>"
    )


def agenda_html(session) -> str:
    """The facilitator's agenda: each step with its start minute and length."""
    rows = "".join(
        f"<tr><td>{start}′</td><td>{html.escape(step.title)}</td><td>{step.minutes} min</td></tr>"
        for start, step in session.agenda())
    return (f'<div class="okr-app"><table class="okr-table"><tr><th>from</th><th>step</th><th>time</th></tr>'
            f"{rows}</table></div>")


class Guide:
    """Walks the audience through a session, one step at a time (back, next, agenda)."""

    def __init__(self, session: str):
        self.session = _session(session)
        self.index = 0
        self.step = W.HTML()
        self.back = W.Button(description="Back", icon="arrow-left", layout=W.Layout(width="7rem"))
        self.next = W.Button(description="Next step", icon="arrow-right", layout=W.Layout(width="9rem"))
        self.agenda = W.HTML(agenda_html(self.session))
        self.back.on_click(lambda _: self.go(self.index - 1))
        self.next.on_click(lambda _: self.go(self.index + 1))
        agenda = W.Accordion(children=[self.agenda], titles=(
            f"Agenda: {self.session.title}, about {self.session.duration_minutes} minutes",))
        agenda.selected_index = None
        self.widget = W.VBox([self.step, W.HBox([self.back, self.next]), agenda])
        self.go(0)

    def go(self, index: int) -> None:
        """Show step ``index`` (kept within the session)."""
        self.index = max(0, min(index, len(self.session.steps) - 1))
        self.step.value = step_html(self.session, self.index)
        self.back.disabled = self.index == 0
        self.next.disabled = self.index == len(self.session.steps) - 1


def examples_html(examples) -> str:
    """Good and weak key results with why and a better version, for people to learn from; escaped."""
    parts = ['<div class="okr-app">']
    for example in examples:
        parts.append(f'<div class="okr-card"><b>{html.escape(example.objective)}</b>'
                     f'<div class="okr-muted">{html.escape(example.why)}</div><ul>')
        parts.extend(f'<li><span class="okr-ok">good</span> {html.escape(kr)}</li>' for kr in example.good)
        for weak in example.weak:
            parts.append(f"<li><b>weak</b> {html.escape(weak.title)} — {html.escape(weak.why_weak)}"
                         f" <i>Better: {html.escape(weak.better)}</i></li>")
        parts.append("</ul></div>")
    parts.append("</div>")
    return "".join(parts)


class ExamplesPanel:
    """Examples from the library by function, folded away until someone opens them."""

    def __init__(self, level: str | None = None):
        self.library = _library()
        self.level = level
        self.function = W.Dropdown(options=[(self.library.titles.get(f, f), f) for f in self.library.functions],
                                   description="Function", style={"description_width": "6rem"})
        self.shown = W.HTML()
        self.function.observe(lambda _: self.show(), names="value")
        accordion = W.Accordion(children=[W.VBox([self.function, self.shown])],
                                titles=("Examples: good and weak OKRs by function",))
        accordion.selected_index = None
        self.widget = accordion
        self.show()

    def show(self) -> None:
        """Show the examples of the chosen function (at this app's level first)."""
        examples = list(self.library.examples(function=self.function.value))
        examples.sort(key=lambda e: e.level != self.level)
        self.shown.value = examples_html(examples)
