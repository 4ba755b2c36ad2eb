"""Who is at the keyboard: the person a workshop app works for, decided by the kernel's environment.

A workshop app runs in a kernel, and the kernel's environment says who
opened it, in one of three ways (the first that applies decides):

- **JupyterHub.** Every user's server, and every kernel it starts (Voila's
  included), has ``$JUPYTERHUB_USER``. The hub user is the person whose id
  is that name, or whose e-mail id has it as its local part
  (``ana.ortiz`` is ``ana.ortiz@brightwell.example``), ignoring case. A hub
  user who is none of the workshop's people is told to ask the facilitator.
- **Personal links** (``okr-workshop serve --personal-links FILE``). The server
  gives every person a secret token of their own, in the link the facilitator
  hands out, and its own token to the facilitator. It keeps only their
  SHA-256 hashes, in the file named by ``$OKR_WORKSHOP_PERSONAL_LINKS``, and
  Voila hands each kernel the query string its page was opened with
  (``$QUERY_STRING``), so the kernel checks the token itself. A page opened
  without a known token shows no app: it asks for the person's link. The
  facilitator's token is the person with the ``facilitator`` role (with none
  or several, nobody in particular, who may still act for anyone).
- **Free**: anything else (``serve`` without personal links, JupyterLab,
  scripts, tests). Whoever uses the app picks themself, as on the
  facilitator's own machine.

People with the ``facilitator`` role may act for others: their picker stays
open, defaulting to themselves. Everyone else is fixed to themself. Either
way, what the app shows is read as the person at the keyboard may see it
(:meth:`Identity.at_keyboard`), never as the person picked.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs

from okr_workshop.model import MEASURE_AUTHOR, Role

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "FREE", "HUB_USER_VAR", "LINKS_VAR", "QUERY_VAR", "Identity", "PersonalTokens", "current_identity",
    "people_one_can_be", "token_digest",
]

HUB_USER_VAR = "JUPYTERHUB_USER"
"""Set by JupyterHub in every user's server and so in every kernel it starts."""
LINKS_VAR = "OKR_WORKSHOP_PERSONAL_LINKS"
"""Set by ``okr-workshop serve --personal-links``: the file holding the hashes of the tokens it accepts."""
QUERY_VAR = "QUERY_STRING"
"""Set by Voila in each kernel: the query string of the page that started it (``token=...``)."""

HUB = "hub"
PERSONAL_LINK = "personal-link"
FREE_SOURCE = "free"


@dataclass(frozen=True)
class Identity:
    """Who is at the keyboard, as far as the kernel can tell.

    ``person`` is a people id (None: not known); ``source`` is ``hub``,
    ``personal-link`` or ``free``; ``problem``, when set, is the message an
    app shows instead of itself.
    """

    person: str | None
    can_act_for_others: bool
    source: str
    problem: str | None = None

    def at_keyboard(self, picked: str | None) -> str | None:
        """The person using the app: the one the identity knows, else (free: anyone may pick) the one picked.

        Apps read the store as this person may see it and record them as who
        recorded what they save, whoever it is saved for.
        """
        return picked if self.source == FREE_SOURCE else self.person


FREE = Identity(person=None, can_act_for_others=True, source=FREE_SOURCE)
"""Nobody known: whoever uses the app picks themself (today's behaviour on a facilitator's own machine)."""


def token_digest(token: str) -> str:
    """The SHA-256 of a token, in hex: what the server keeps instead of the token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class PersonalTokens:
    """The hashes of the tokens a server with personal links accepts: the facilitator's and one per person."""

    facilitator: str
    """The digest of the facilitator's (the server's shared) token."""
    people: Mapping[str, str] = field(default_factory=dict)
    """Person id by the digest of their token."""

    @classmethod
    def issue(cls, person_ids: Iterable[str], facilitator_token: str) -> tuple[dict[str, str], PersonalTokens]:
        """A fresh secret token for each person: (token by person id, the hashes to check them by)."""
        tokens = {person: secrets.token_urlsafe(24) for person in person_ids}
        return tokens, cls(token_digest(facilitator_token),
                           {token_digest(token): person for person, token in tokens.items()})

    @classmethod
    def read(cls, path: str | os.PathLike) -> PersonalTokens:
        """The hashes :meth:`write` kept in ``path``; OSError or ValueError when it cannot be read."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not isinstance(data.get("facilitator"), str) or not isinstance(
                data.get("people"), dict):
            raise ValueError(f"{path} holds no personal token hashes")
        return cls(data["facilitator"], dict(data["people"]))

    def write(self, path: str | os.PathLike) -> Path:
        """Keep the hashes in ``path``, readable by this user only; the path."""
        path = Path(path)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            os.fchmod(out.fileno(), 0o600)  # also when the file was there before
            json.dump({"facilitator": self.facilitator, "people": dict(self.people)}, out)
        return path

    def is_facilitator(self, token: str) -> bool:
        """Whether ``token`` is the facilitator's."""
        return bool(token) and token_digest(token) == self.facilitator

    def person_of(self, token: str) -> str | None:
        """The person whose token this is, or None."""
        return self.people.get(token_digest(token)) if token else None


# --------------------------------------------------------------------------- deciding who is at the keyboard


def current_identity(people: pd.DataFrame, environ: Mapping[str, str] | None = None) -> Identity:
    """Who is at the keyboard, from ``environ`` (default: this process's environment) and the ``people`` table."""
    environ = os.environ if environ is None else environ
    if hub_user := environ.get(HUB_USER_VAR, "").strip():
        return _hub_identity(people, hub_user)
    if links := environ.get(LINKS_VAR, "").strip():
        return _link_identity(people, links, _query_token(environ.get(QUERY_VAR, "")))
    return FREE


def people_one_can_be(people: pd.DataFrame) -> pd.DataFrame:
    """The people one can be: everyone but the author of values measured from data."""
    return people[people["id"] != MEASURE_AUTHOR]


def _as_person(people: pd.DataFrame, person: str, source: str) -> Identity:
    """The identity of ``person`` (a people id): a facilitator may act for others, anyone else for themself."""
    role = people_one_can_be(people).set_index("id")["role"].get(person)
    return Identity(person=person, can_act_for_others=role == Role.FACILITATOR.value, source=source)


def _refused(source: str, problem: str) -> Identity:
    return Identity(person=None, can_act_for_others=False, source=source, problem=problem)


def _local_part(name: str) -> str | None:
    return name.split("@", 1)[0] if "@" in name else None


def _hub_matches(people: pd.DataFrame, hub_user: str) -> list[str]:
    """The people ids a hub user name stands for: the same id, else an e-mail id and its local part, ignoring case."""
    wanted = hub_user.casefold()
    ids = [str(i) for i in people_one_can_be(people)["id"]]
    same = [i for i in ids if i.casefold() == wanted]
    if same:
        return same
    wanted_local = (_local_part(hub_user) or "").casefold()
    return [i for i in ids if (_local_part(i) or "").casefold() == wanted
            or (wanted_local and i.casefold() == wanted_local)]


def _hub_identity(people: pd.DataFrame, hub_user: str) -> Identity:
    matches = _hub_matches(people, hub_user)
    if len(matches) == 1:
        return _as_person(people, matches[0], HUB)
    if not matches:
        return _refused(HUB, f"You are signed in as {hub_user}, but {hub_user} is not among the workshop's "
                             "people; ask your facilitator to add you.")
    return _refused(HUB, f"You are signed in as {hub_user}, which could be any of {', '.join(sorted(matches))}; "
                         "ask your facilitator to tell the workshop which of them you are.")


def _query_token(query: str) -> str:
    """The ``token`` parameter of a query string ('' when there is none)."""
    return parse_qs(query).get("token", [""])[-1].strip()


OPEN_YOUR_LINK = "Open the link your facilitator gave you"


def _link_identity(people: pd.DataFrame, links: str, token: str) -> Identity:
    try:
        tokens = PersonalTokens.read(links)
    except (OSError, ValueError) as error:
        return _refused(PERSONAL_LINK, f"{OPEN_YOUR_LINK} once the workshop server is running again: it cannot "
                                       f"check personal links right now ({error}).")
    if not token:
        return _refused(PERSONAL_LINK, f"{OPEN_YOUR_LINK}: this page was opened without one, so it cannot tell "
                                       "who you are.")
    if tokens.is_facilitator(token):
        candidates = people_one_can_be(people)
        facilitators = candidates.loc[candidates["role"] == Role.FACILITATOR.value, "id"].tolist()
        person = facilitators[0] if len(facilitators) == 1 else None
        return Identity(person=person, can_act_for_others=True, source=PERSONAL_LINK)
    person = tokens.person_of(token)
    if person is None:
        return _refused(PERSONAL_LINK, f"{OPEN_YOUR_LINK}: the link this page was opened with is not one of this "
                                       "workshop's (the links change each time the workshop server starts).")
    if person not in set(people_one_can_be(people)["id"]):
        return _refused(PERSONAL_LINK, f"Your link is for {person}, who is no longer among the workshop's people; "
                                       "ask your facilitator.")
    return _as_person(people, person, PERSONAL_LINK)
