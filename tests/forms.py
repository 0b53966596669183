"""Helpers for tests that fill in the portal's forms as a browser would: with the CSRF token of the page."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

from portal.accounts.models import User
from portal.extensions import db
from tests.factories import make_user

PASSWORD = "een-lang-wachtwoord"


def csrf_token(client, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, (path, page.status_code)
    field = BeautifulSoup(page.get_data(as_text=True), "html.parser").find("input", {"name": "csrf_token"})
    return field["value"]


def review_form(client, path: str) -> dict:
    """A moderator's review form's hidden fields as the page has them: the CSRF token and the version shown."""
    form = BeautifulSoup(client.get(path).get_data(as_text=True), "html.parser").select_one("form.review-form")
    return {field["name"]: field["value"] for field in form.select("input[type=hidden]")}


def submit(client, path: str, data: dict, form_page: str | None = None, **kwargs):
    """POST `data` to `path` with the CSRF token taken from `form_page` (default: `path` itself)."""
    return client.post(path, data={"csrf_token": csrf_token(client, form_page or path), **data}, **kwargs)


def login(client, email: str, password: str = PASSWORD, **extra):
    return submit(client, "/account/aanmelden", {"email": email, "password": password, **extra})


def log_in(client, user: User) -> None:
    """Log `user` (made with PASSWORD) in through the login form."""
    response = login(client, user.email)
    assert response.status_code == 302, response.status_code


def new_user(email: str = "lid@test.example", is_admin: bool = False, password: str = PASSWORD) -> User:
    user = make_user(email, is_admin=is_admin, password=password)
    db.session.commit()
    return user


def link_in(message, path_part: str) -> str:
    """The path of the first link in a mail that contains `path_part` (the test client needs no host)."""
    body = message.get_content()
    url = next(found for found in re.findall(r"https?://\S+", body) if path_part in found)
    return re.sub(r"^https?://[^/]+", "", url)


def text_of(response) -> str:
    main = BeautifulSoup(response.get_data(as_text=True), "html.parser").find("main")
    return " ".join(main.get_text(" ").split())
