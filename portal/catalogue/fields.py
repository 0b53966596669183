"""Every field of a listing, described once. The input (ListingInput) and its per-field rules, the way a
listing stores input, the listing form, the moderation diff, the import and API records and their schemas, the
API's read representation and its OpenAPI component, and the seed reader are derived from this table, and the
form page places the text fields from it. The model's columns and the form page's other fields still name the
fields themselves; tests/unit/test_field_registry.py fails when a column, the form page, the records, the API,
the seed reader or the search filters and this table disagree.

Cross-field rules (age order, dates per schedule, locations) live in inputs.py, once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from portal.catalogue import vocab

MAX_AGE = 120  # the oldest age a listing states, or a visitor searches for
WEB_ADDRESS_LENGTH = 500
EMAIL_LENGTH = 254
MAX_LOCATIONS = 20  # per listing: the form offers as many rows, the services refuse more (API, import)
MAX_PLACES = 100_000  # the most free places a listing states

# type -> the Python type of its input value
PYTHON_TYPES = {
    "text": str, "long_text": str, "web_address": str, "email": str, "age": int, "count": int, "boolean": bool,
    "date": date,
    "code": str, "codes": list[str], "locations": list,
}
# Types whose values are lists, and whose input starts empty.
LIST_TYPES = ("codes", "locations")
TEXT_TYPES = ("text", "long_text", "web_address", "email")
# Form groups (the fieldsets of the listing form), in the order the form shows them.
FORM_GROUPS = ("what", "who", "content", "cost", "when", "availability", "where", "contact")


@dataclass(frozen=True)
class ListingField:
    name: str
    type: str  # a key of PYTHON_TYPES
    label: object  # the form label (Dutch message id)
    group: str  # one of FORM_GROUPS
    hint: object = None  # text fields: the form's help text under the label
    required: bool = False
    min_length: int = 0
    max_length: int | None = None  # text: characters; code: the column's width
    single_line: bool = False
    rows: int = 4  # long texts: the height of the form's text box
    autocomplete: str | None = None  # text fields: the browser's autofill token (url, email and tel also type it)
    vocabulary: vocab.Vocabulary | None = None
    rule_label: object = None  # the field in a rule's message ("De titel is verplicht.")
    choice_message: object = None  # code fields: the message when no valid choice is made
    diff_label: object = None  # the moderator's word, when it differs from the form label
    record_name: str | None = None  # its name in import/API records, when it differs
    record_description: str = ""  # said of it in the JSON Schema
    api_name: str | None = None  # its name in the API's read representation, when it differs; a dot nests it
    seed_name: str | None = None  # its name in the demo seed files (seeds/FORMAT.md), when it differs
    blank: str | None = None  # what an optional text is when left empty ("" for a non-null column)
    joins_lines: bool = False  # the form folds line breaks and runs of spaces into one space
    facet: bool = False  # a search filter with counts (portal.search.service.FILTERS)
    exported: bool = True  # in exports, API records and the API's read representation
    # False: a fact the organisation keeps up to date that applies at once, also on a published listing, without
    # a moderator's review (availability; catalogue.services.set_availability)
    moderated: bool = True

    @property
    def record(self) -> str:
        return self.record_name or self.name

    @property
    def api(self) -> str:
        return self.api_name or self.name

    @property
    def seed(self) -> str:
        return self.seed_name or self.record

    @property
    def diff(self):
        return self.diff_label or self.label

    @property
    def must_be_given(self) -> bool:
        """A record or input without it is incomplete (a list may come empty: its own rule then says why)."""
        return self.required and self.type not in LIST_TYPES

    @property
    def nullable(self) -> bool:
        return not self.must_be_given and self.type not in (*LIST_TYPES, "boolean") and self.blank is None

    def stored(self, value):
        """The input value as the listing stores it: a text trimmed (an empty optional one as its blank),
        codes once each."""
        if self.type in TEXT_TYPES:
            text = (value or "").strip()
            return text if self.must_be_given else text or self.blank
        if self.type == "codes":
            return list(dict.fromkeys(value))
        return value

    def default(self):
        """The input's value when the caller gives none (a factory for lists)."""
        if self.type in LIST_TYPES:
            return list
        return False if self.type == "boolean" else self.blank


LISTING_FIELDS = (
    ListingField("kind", "code", _l("Soort aanbod"), "what", required=True, max_length=40,
                 vocabulary=vocab.LISTING_KINDS, choice_message=_l("Kies een soort aanbod."), facet=True),
    ListingField("title", "text", _l("Titel"), "what",
                 _l("3 tot 200 tekens, bv. ‘Robotclub voor meisjes van 10 tot 12’."), required=True, min_length=3,
                 max_length=200, single_line=True, rule_label=_l("De titel")),
    ListingField("summary", "long_text", _l("Korte beschrijving"), "what",
                 _l("Eén of twee zinnen (10 tot 300 tekens); die staan in de zoekresultaten."), required=True,
                 min_length=10, max_length=300, rows=2, rule_label=_l("De korte beschrijving"), joins_lines=True),
    ListingField("description", "long_text", _l("Beschrijving"), "what", _l("Laat een lege regel tussen alinea's."),
                 max_length=20000, rows=8, rule_label=_l("De beschrijving"), blank=""),
    ListingField("provider_url", "web_address", _l("Webadres voor meer info en inschrijven"), "what",
                 _l("Begint met https:// of http://, bv. https://www.voorbeeld.be/inschrijven"), required=True,
                 max_length=WEB_ADDRESS_LENGTH, autocomplete="url", diff_label=_l("Webadres van de aanbieder"),
                 seed_name="url"),
    ListingField("min_age", "age", _l("Vanaf leeftijd"), "who", diff_label=_l("Leeftijd")),
    ListingField("max_age", "age", _l("Tot en met leeftijd"), "who", diff_label=_l("Leeftijd")),
    ListingField("target_groups", "codes", _l("Doelgroepen"), "who", required=True,
                 vocabulary=vocab.TARGET_GROUPS, facet=True),
    ListingField("audience", "code", _l("Voor wie is dit aanbod?"), "who", max_length=20, vocabulary=vocab.AUDIENCES,
                 choice_message=_l("Kies of het aanbod voor kinderen en jongeren is of voor leerkrachten en scholen."),
                 diff_label=_l("Publiek"), facet=True,
                 record_description="youth (children and young people: the age filters apply) or professionals "
                                    "(teachers, schools, other professionals). When absent: professionals for "
                                    "learning networks, charter signatories and offers only for teachers, "
                                    "otherwise youth."),
    ListingField("themes", "codes", _l("Thema's (niet verplicht)"), "content", vocabulary=vocab.THEMES,
                 diff_label=_l("Thema's"), facet=True),
    ListingField("disciplines", "codes", _l("STEM-domeinen"), "content", required=True,
                 vocabulary=vocab.DISCIPLINES, facet=True),
    ListingField("formats", "codes", _l("Vorm"), "content", required=True, vocabulary=vocab.FORMATS, facet=True),
    ListingField("what_to_bring", "long_text", _l("Wat meebrengen"), "content",
                 _l("Wat moet een deelnemer meebrengen? Bijvoorbeeld een laptop of een lunchpakket."), max_length=500,
                 rows=3, rule_label=_l("Wat een deelnemer meebrengt"),
                 record_description="What a participant brings, e.g. a laptop or a packed lunch."),
    ListingField("cost", "code", _l("Kostprijs"), "cost", required=True, max_length=20, vocabulary=vocab.COSTS,
                 choice_message=_l("Kies of het aanbod gratis of betalend is."), facet=True),
    ListingField("price_text", "text", _l("Prijs (niet verplicht)"), "cost",
                 _l("bv. € 60 per trimester, kansentarief € 12"), max_length=200, single_line=True,
                 rule_label=_l("De prijs"), diff_label=_l("Prijs"), seed_name="price"),
    ListingField("flanders_wide", "boolean", _l("In heel Vlaanderen en Brussel"), "where",
                 diff_label=_l("Vlaanderenbreed")),
    ListingField("online", "boolean", _l("Online"), "where"),
    ListingField("schedule", "code", _l("Wanneer"), "when", required=True, max_length=20,
                 vocabulary=vocab.SCHEDULES, choice_message=_l("Kies hoe vaak het aanbod plaatsvindt."),
                 diff_label=_l("Planning")),
    ListingField("start_date", "date", _l("(Eerste) datum"), "when", diff_label=_l("Begindatum")),
    ListingField("end_date", "date", _l("Laatste datum"), "when", diff_label=_l("Einddatum")),
    ListingField("weekdays", "codes", _l("Op welke dagen (niet verplicht)"), "when", vocabulary=vocab.WEEKDAYS,
                 diff_label=_l("Dagen"), facet=True,
                 record_description="The weekdays of a periodic offer's sessions (or a series'), e.g. [\"wo\"]."),
    ListingField("day_parts", "codes", _l("Dagdeel (niet verplicht)"), "when", vocabulary=vocab.DAY_PARTS,
                 diff_label=_l("Dagdeel"), facet=True,
                 record_description="The parts of the day of its sessions; the times add the parts they cover."),
    ListingField("start_time", "text", _l("Beginuur (niet verplicht)"), "when", _l("uu:mm, bv. 14:00"),
                 max_length=5, single_line=True, rule_label=_l("Het beginuur"), diff_label=_l("Beginuur"),
                 record_description="When a session starts, HH:MM (24 hours)."),
    ListingField("end_time", "text", _l("Einduur (niet verplicht)"), "when", _l("uu:mm, bv. 16:00"),
                 max_length=5, single_line=True, rule_label=_l("Het einduur"), diff_label=_l("Einduur"),
                 record_description="When a session ends, HH:MM (24 hours); earlier than the start: the next day."),
    ListingField("school_holidays_off", "boolean", _l("Niet in de schoolvakanties"), "when",
                 diff_label=_l("Niet in de schoolvakanties"),
                 record_description="True when the sessions pause in the Flemish school holidays."),
    ListingField("schedule_text", "text", _l("Dagen en uren (niet verplicht)"), "when",
                 _l("bv. elke woensdag van 14 tot 16 uur"), max_length=300, single_line=True,
                 rule_label=_l("De planning"), diff_label=_l("Uren en dagen")),
    ListingField("availability", "code", _l("Beschikbaarheid"), "availability", max_length=20,
                 vocabulary=vocab.AVAILABILITY, choice_message=_l("Kies of er nog plaatsen zijn."),
                 blank=vocab.AVAILABLE, moderated=False,
                 record_description="Whether places are left; default available. Kept up to date by the "
                                    "organisation; on a published listing a change applies at once."),
    ListingField("waiting_list", "boolean", _l("Er is een wachtlijst"), "availability", diff_label=_l("Wachtlijst"),
                 moderated=False, record_description="Only with availability full."),
    ListingField("remaining_places", "count", _l("Aantal vrije plaatsen (niet verplicht)"), "availability",
                 diff_label=_l("Vrije plaatsen"), moderated=False,
                 record_description="How many places are left, where known; only while places are left."),
    ListingField("postponed_to", "date", _l("Nieuwe datum (niet verplicht)"), "availability",
                 diff_label=_l("Uitgesteld naar"), moderated=False,
                 record_description="The new first day; only with availability postponed (absent: not yet known)."),
    ListingField("contact_name", "text", _l("Contactpersoon (niet verplicht)"), "contact", max_length=120,
                 single_line=True, autocomplete="name", rule_label=_l("De contactpersoon"),
                 diff_label=_l("Contactpersoon"), api_name="contact.name"),
    ListingField("contact_email", "email", _l("E-mailadres (niet verplicht)"), "contact", max_length=EMAIL_LENGTH,
                 autocomplete="email", diff_label=_l("E-mailadres"), api_name="contact.email"),
    ListingField("contact_phone", "text", _l("Telefoon (niet verplicht)"), "contact", max_length=40,
                 single_line=True, autocomplete="tel", rule_label=_l("Het telefoonnummer"), diff_label=_l("Telefoon"),
                 api_name="contact.phone"),
    ListingField("locations", "locations", _l("Locaties"), "where"),
)
# Listing columns that are not fields a caller fills in: identity, workflow and bookkeeping (the yearly
# re-confirmation's among them: portal/catalogue/freshness.py).
SYSTEM_COLUMNS = ("id", "organisation_id", "slug", "external_id", "status", "created_at", "updated_at",
                  "published_at", "confirmed_at", "reminders_sent")


# The fields an organisation changes at once, also on a published listing (ListingField.moderated).
UNMODERATED = tuple(spec for spec in LISTING_FIELDS if not spec.moderated)


def of_type(*types: str) -> tuple[ListingField, ...]:
    return tuple(spec for spec in LISTING_FIELDS if spec.type in types)


def in_form_order() -> list[ListingField]:
    return sorted(LISTING_FIELDS, key=lambda spec: FORM_GROUPS.index(spec.group))
