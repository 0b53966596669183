"""The English catalogue covers every vocabulary label (the API serves them), and its compiled .mo is current."""

from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from portal.api.representations import VOCABULARIES

CATALOGUE = Path(__file__).resolve().parents[2] / "portal" / "translations" / "en" / "LC_MESSAGES"


def messages(catalog) -> dict:
    return {message.id: message.string for message in catalog if message.id}


def test_every_vocabulary_label_has_an_english_translation():
    with (CATALOGUE / "messages.po").open("rb") as handle:
        english = messages(read_po(handle))
    missing = [term.label._args[0] for vocabulary in VOCABULARIES.values() for term in vocabulary
               if not english.get(term.label._args[0])]
    assert missing == []


def test_the_compiled_catalogue_matches_its_source():
    with (CATALOGUE / "messages.po").open("rb") as po, (CATALOGUE / "messages.mo").open("rb") as mo:
        assert messages(read_mo(mo)) == messages(read_po(po)), "run: .venv/bin/pybabel compile -d portal/translations"
