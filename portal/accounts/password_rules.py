"""The password rules of OWASP ASVS 5.0 (V6.2): at least 8 characters, long passphrases welcome, no
composition rules, and none of the most common passwords.

The list is data/common-passwords.txt.gz: the 20,000 most common passwords compiled by Royce Williams
from breach corpora, as shipped with Django 5.2 (django/contrib/auth/common-passwords.txt.gz, BSD licence).
"""

from __future__ import annotations

import gzip
import re
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path

from flask_babel import lazy_gettext as _l

SITE_NAMES = ("STEM-wijzer", "stemwijzer")
# A password this much like the account's address, name or the site's name is the first thing an attacker
# tries (the measure and threshold of Django's UserAttributeSimilarityValidator).
MAX_SIMILARITY = 0.7
MIN_LENGTH = 8
MAX_LENGTH = 256  # ASVS asks for at least 64; argon2 hashes any length, this only bounds the work
COMMON_PASSWORDS = Path(__file__).resolve().parent / "data" / "common-passwords.txt.gz"


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_PASSWORDS, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines if line.strip())


def _too_similar(password: str, personal: tuple[str, ...]) -> bool:
    folded = password.lower()
    for value in (*personal, *SITE_NAMES):
        for part in {value, *re.split(r"\W+", value)}:
            part = part.lower()
            if len(part) >= 3 and SequenceMatcher(a=folded, b=part).quick_ratio() >= MAX_SIMILARITY:
                return True
    return False


def password_problems(password: str, *personal: str) -> list:
    """Dutch messages for every rule `password` breaks; empty when it is acceptable. `personal`: the account's
    address and name, which the password must not resemble."""
    if len(password) < MIN_LENGTH:
        return [_l("Kies een wachtwoord van minstens %(n)s tekens.", n=MIN_LENGTH)]
    if len(password) > MAX_LENGTH:
        return [_l("Een wachtwoord mag hoogstens %(n)s tekens lang zijn.", n=MAX_LENGTH)]
    if password.lower() in common_passwords():
        return [_l("Dit wachtwoord is te bekend: het staat in de lijsten die aanvallers eerst proberen. "
                   "Kies een ander, bijvoorbeeld een zin van een paar woorden.")]
    if _too_similar(password, tuple(value for value in personal if value)):
        return [_l("Dit wachtwoord lijkt te veel op je e-mailadres, je naam of de naam van de site. Kies een "
                   "ander, bijvoorbeeld een zin van een paar woorden.")]
    return []
