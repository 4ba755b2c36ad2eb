"""How a Voila server with personal links signs people in.

Voila imports :class:`PersonalLinksIdentityProvider` by name
(``--Voila.identity_provider_class``, see :data:`okr_workshop.server.links.PERSONAL_LINKS_PROVIDER`),
so this module, and Jupyter's server with it, loads in the server process only.
"""

from __future__ import annotations

import os

from jupyter_server.auth.identity import PasswordIdentityProvider, User

from okr_workshop.identity import LINKS_VAR, PersonalTokens

__all__ = ["PersonalLinksIdentityProvider"]


class PersonalLinksIdentityProvider(PasswordIdentityProvider):
    """The shared token signs in as before (the facilitator); a person's own token signs in as that person.

    The tokens' hashes are in the file ``$OKR_WORKSHOP_PERSONAL_LINKS`` names.
    This only lets the page load: each kernel checks the token of its page
    again (:func:`okr_workshop.identity.current_identity`) before showing anything.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.personal_tokens = PersonalTokens.read(os.environ[LINKS_VAR])

    async def get_user_token(self, handler) -> User | None:
        """The user of the shared token, else the person whose own token the request carries (None: nobody)."""
        user = await super().get_user_token(handler)
        if user is not None:
            return user
        person = self.personal_tokens.person_of(self.get_token(handler) or "")
        return None if person is None else User(username=person, name=person, display_name=person)
