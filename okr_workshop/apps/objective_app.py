"""What the apps that write objectives in an :class:`~okr_workshop.apps.forms.ObjectiveForm` share."""

from __future__ import annotations

import ipywidgets as W

from okr_workshop.apps.base import App, choices
from okr_workshop.apps.forms import ObjectiveForm
from okr_workshop.exceptions import OkrWorkshopError

__all__ = ["ObjectiveApp"]


class ObjectiveApp(App):
    """Base of the apps where people write objectives in an :class:`ObjectiveForm`: company, cascade, individual.

    It holds what they share: the "You are" picker (a new pick refreshes the
    app), a Refresh button, the form (``form``, None until the app makes one)
    and an "Edit" list of objectives with a button that opens the one picked
    in the form (:meth:`edit_list`). A subclass lays them out and fills them
    in :meth:`refresh`.
    """

    def __init__(self, db: str | None = None, **kwargs):
        super().__init__(db, **kwargs)
        self.person = self.picker()
        self.person.dropdown.observe(lambda _: self.refresh(), names="value")
        self.refresh_button = W.Button(description="Refresh", tooltip="Show what others have saved")
        self.refresh_button.on_click(lambda _: self.refresh())
        self.edit_button = W.Button(description="Open in the form")
        self.form: ObjectiveForm | None = None

    def refresh(self) -> None:  # pragma: no cover - abstract
        """Re-read the store and show what the person picked may see and edit."""
        raise NotImplementedError

    def edit_list(self, prompt: str) -> W.Dropdown:
        """The "Edit" list, offering only ``prompt`` until :meth:`offer` fills it; ``edit_button`` opens its pick."""
        dropdown = W.Dropdown(description="Edit", options=[(prompt, "")], value="", layout=W.Layout(width="36rem"),
                              style={"description_width": "6rem"})
        self.edit_button.on_click(lambda _: self.edit(dropdown.value))
        return dropdown

    @staticmethod
    def offer(dropdown: W.Dropdown, objectives) -> None:
        """Offer ``objectives`` in an edit list, after its prompt."""
        dropdown.options = [dropdown.options[0], *choices(objectives)]

    def edit(self, objective_id: str | None) -> None:
        """Open ``objective_id`` in the form (nothing when none is picked or there is no form yet)."""
        if objective_id and self.form is not None:
            try:
                self.form.load(objective_id)
            except OkrWorkshopError as error:
                self.fail(error)
