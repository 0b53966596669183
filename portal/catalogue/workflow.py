"""The four workflows of the portal as data: a listing's life, a proposed change to a published listing
(revision), a visitor's report, and a request to join an organisation. One mechanism answers for all four
which actions a state allows and where they lead; who may take an action is policy's (catalogue/policy.py).
No other module compares states to decide what may happen."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from portal.catalogue.vocab import LISTING_STATUSES
from portal.domain import InvalidTransition


@dataclass(frozen=True)
class Workflow:
    # action -> (states it may start from, state it leads to; None: it changes the object, not its state)
    transitions: Mapping[str, tuple[frozenset[str], str | None]]
    initial: str  # the state a new object starts in
    refusal: Callable[[str], object]  # the Dutch refusal of an action its current state does not allow

    def allows(self, action: str, state: str) -> bool:
        return state in self.transitions[action][0]

    def actions_from(self, state: str) -> frozenset[str]:
        return frozenset(action for action, (sources, _) in self.transitions.items() if state in sources)

    def states_allowing(self, *actions: str) -> frozenset[str]:
        return frozenset().union(*(self.transitions[action][0] for action in actions))

    def leads_to(self, action: str) -> str | None:
        return self.transitions[action][1]

    def next_state(self, action: str, state: str) -> str:
        """Where `action` leads from `state`; InvalidTransition when `state` does not allow it."""
        if not self.allows(action, state):
            raise InvalidTransition(self.refusal(state))
        return self.transitions[action][1] or state

    def action_to(self, target: str) -> str | None:
        """The action that leads to `target`, if one does."""
        return next((action for action, (_, to) in self.transitions.items() if to == target), None)


def _states(*codes: str) -> frozenset[str]:
    return frozenset(codes)


LISTING = Workflow(
    transitions={
        "edit": (_states("draft", "rejected"), None),  # in place
        # as a revision, while the listing stays live; a stale listing's edit re-confirms it first
        "propose_change": (_states("published", "stale"), None),
        # places left, full, cancelled, postponed: in place, without moderation (services.set_availability);
        # not while a moderator reviews the listing, whose decision is about the version seen
        "set_availability": (_states("draft", "rejected", "published", "stale"), None),
        "submit": (_states("draft", "rejected"), "pending"),
        "withdraw": (_states("pending"), "draft"),
        "publish": (_states("pending"), "published"),
        "reject": (_states("pending"), "rejected"),
        "unpublish": (_states("published", "stale"), "draft"),
        # the organisation says the listing is still current (portal/catalogue/freshness.py)
        "confirm": (_states("published", "stale"), "published"),
        # the scheduled freshness run only: not re-confirmed in time
        "go_stale": (_states("published"), "stale"),
        "archive": (_states("draft", "pending", "published", "stale", "rejected"), "archived"),
    },
    initial="draft",
    refusal=lambda state: _l("Dit kan niet bij aanbod met status '%(status)s'.",
                             status=LISTING_STATUSES.label(state)),
)
# What the organisation reads above a moderator's reason that left its listing in this state.
REASON_HEADINGS = {
    "rejected": _l("Reden van de afwijzing:"),
    "draft": _l("Offline gehaald door een moderator:"),
}
# The actions that change a listing's content: in place, or through a revision.
CHANGES = frozenset({"edit", "propose_change"})
PUBLIC_STATE = "published"
# A stale listing left the search but its page stays reachable, with a notice that it is no longer confirmed.
REACHABLE_STATES = frozenset({PUBLIC_STATE, "stale"})

REVISION = Workflow(
    transitions={
        "approve": (_states("pending"), "approved"),
        "reject": (_states("pending"), "rejected"),
        "withdraw": (_states("pending"), "withdrawn"),
    },
    initial="pending",
    refusal=lambda state: _l("Over deze wijziging is al beslist."),
)

REPORT = Workflow(
    transitions={
        "resolve": (_states("open"), "resolved"),
        "dismiss": (_states("open"), "dismissed"),
    },
    initial="open",
    refusal=lambda state: _l("Deze melding is al behandeld."),
)

JOIN_REQUEST = Workflow(
    transitions={
        "approve": (_states("pending"), "approved"),
        "refuse": (_states("pending"), "refused"),
    },
    initial="pending",
    refusal=lambda state: _l("Over dit verzoek is al beslist."),
)
