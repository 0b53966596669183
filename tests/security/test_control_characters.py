"""One rule for characters nobody means to type (a NUL byte, other control characters, bidirectional
overrides): every form refuses them next to the field, in Dutch, before a service or a query sees them (on
PostgreSQL a NUL byte in a query was a 500), and a path with one is a 404."""

import pytest
from bs4 import BeautifulSoup

from portal.catalogue import services as catalogue
from portal.extensions import db
from tests.factories import OrganisationInputFactory
from tests.forms import PASSWORD, csrf_token, log_in, new_user

MESSAGE = "bevat onzichtbare stuurtekens; typ de tekst opnieuw."
INVISIBLE = ["\x00", "\x07", "\x1b", "\u202e", "\u2066", "\x9b"]

# (form page, where it posts, the field that gets the character, the other fields, signed in?)
FORMS = [
    ("/account/registreren", None, "display_name",
     {"email": "nieuw@test.example", "password": PASSWORD}, False),
    ("/account/registreren", None, "email", {"display_name": "An", "password": PASSWORD}, False),
    ("/account/aanmelden", None, "email", {"password": PASSWORD}, False),
    ("/account/wachtwoord-vergeten", None, "email", {}, False),
    ("/mijn/organisaties/nieuw", None, "name", {"kind": "stem_academy"}, True),
    ("/organisaties/{slug}/lid-worden", None, "message", {}, True),
]


@pytest.fixture
def organisation(app):
    owner = new_user("eigenaar@test.example", is_admin=True)
    found = catalogue.create_organisation(owner, OrganisationInputFactory(name="Robotclub Genk"))
    catalogue.verify_organisation(owner, found)
    db.session.commit()
    return found


def _field_error(html: str, field: str) -> str:
    error = BeautifulSoup(html, "html.parser").find(id=f"{field}-error")
    return error.get_text(" ", strip=True) if error else ""


@pytest.mark.parametrize("character", INVISIBLE)
@pytest.mark.parametrize("page, action, field, others, signed_in", FORMS)
def test_every_form_refuses_invisible_characters_next_to_the_field(app, client, organisation, page, action,
                                                                   field, others, signed_in, character):
    if signed_in:
        log_in(client, new_user("lid@test.example"))
    page = page.format(slug=organisation.slug)
    response = client.post(action or page, data={
        "csrf_token": csrf_token(client, page), **others, field: f"Rob{character}otclub"})
    assert 400 <= response.status_code < 500 or response.status_code == 200
    assert MESSAGE in _field_error(response.get_data(as_text=True), field)


def test_a_path_with_a_control_character_is_not_found(client, organisation):
    assert client.get(f"/organisaties/{organisation.slug}%00").status_code == 404
    assert client.get("/api/v1/organisations/%00").status_code == 404
