"""Words parents wrap around what they look for: for whom ("voor mijn zoon", "kinderen", "kids") and that it is
an activity at all ("activiteit", "activiteiten").

A parent who writes that the offer is for a child asks for offers for children and young people (the audience
filter), not for texts that hold the word: such words leave the text like time words do, so "soldeerclub voor
mijn zoon" looks for soldering clubs for young people instead of texts about sons. Words for a girl ("dochter",
"meisje") stay in the text: they also ask for offers for girls, which the text and its synonyms find. Every
listing is an activity, so "activiteit" says nothing about which one: it leaves the text too ("activiteiten"
alone lists everything).
"""

from __future__ import annotations

import re

_LEAD = r"(?:\b(?:voor|met|van)\s+)?(?:\b(?:mijn|m'n|onze|ons|de|het|een)\s+)?"
CHILD_PATTERN = re.compile(
    _LEAD + r"\b(?:kind|kinderen|kindje|kindjes|kids|zoon|zoontje|zonen|kleinkind|kleinkinderen|jongeren)\b", re.I)
ACTIVITY_PATTERN = re.compile(r"\b(?:een\s+)?(?:activiteit|activiteiten|activiteitje)\b", re.I)


def read_parent_words(text: str) -> tuple[str, bool]:
    """The text without its words for a child and for an activity, and whether it named a child."""
    rest, children = CHILD_PATTERN.subn(" ", text)
    rest, activities = ACTIVITY_PATTERN.subn(" ", rest)
    return (" ".join(rest.split()) if children or activities else text), children > 0
