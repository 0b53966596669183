"""Issue 13, item 7: the security event log. Every event family is a row (with the right actor and target) and a
JSON line on the `stemwijzer.security` logger; neither ever holds a secret or a full e-mail address; every
response carries its request id; only admins read the log page, whose filters work."""

from __future__ import annotations

import json
import logging
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from portal.accounts.models import User
from portal.catalogue.services import create_organisation
from portal.catalogue.services import verify_organisation as verify
from portal.database import utcnow
from portal.extensions import db
from portal.organisations import services as organisations
from portal.organisations.models import JoinRequest
from portal.security_log import events, record
from portal.security_log.masking import clean_details, email_hash, mask_email
from portal.security_log.models import SecurityEvent
from portal.transactions import unit_of_work
from tests.api.test_write_api import RECORD, bearer
from tests.factories import OrganisationInputFactory
from tests.forms import PASSWORD, link_in, log_in, login, new_user, review_form, submit, text_of
from tests.world import build_world

pytestmark = pytest.mark.filterwarnings("ignore:Connection is already established:sqlalchemy.exc.SAWarning")

LOGGER = "stemwijzer.security"
MEMBER, ADMIN = "lid@test.example", "beheer@test.example"
NEWCOMER, UNKNOWN = "nieuw.lid@test.example", "onbekend@test.example"
NEW_ADDRESS = "ander.adres@test.example"
WRONG = "helemaal-fout-wachtwoord"
CHOSEN = "een-ander-lang-wachtwoord"


@pytest.fixture
def security_lines(caplog):
    """The JSON lines the security logger wrote, parsed."""
    caplog.set_level(logging.INFO, logger=LOGGER)

    def lines() -> list[dict]:
        return [json.loads(entry.getMessage()) for entry in caplog.records if entry.name == LOGGER]
    return lines


def rows(event: str | None = None) -> list[SecurityEvent]:
    db.session.expire_all()
    query = select(SecurityEvent).order_by(SecurityEvent.id)
    return list(db.session.scalars(query.where(SecurityEvent.event == event) if event else query))


def only(event: str) -> SecurityEvent:
    [row] = rows(event)
    return row


def login_from(client, email: str, password: str, address: str):
    return submit(client, "/account/aanmelden", {"email": email, "password": password},
                  environ_base={"REMOTE_ADDR": address})


def user_id(email: str) -> int:
    return db.session.scalar(select(User.id).where(User.email == email))


# Masking

def test_one_masking_function_keeps_the_first_letter_and_the_domain():
    assert mask_email("jan.peeters@example.org") == "j***@example.org"
    assert mask_email("geen-adres") == "***"


def test_details_lose_secrets_by_name_and_addresses_anywhere(app):
    cleaned = clean_details({"password": PASSWORD, "api_token": "stemw_x", "reset_key": "k", "session_id": "s",
                             "note": f"voor {MEMBER} en {UNKNOWN}", "count": 3})
    assert cleaned == {"note": "voor l***@test.example en o***@test.example", "count": 3}
    assert email_hash(MEMBER) == email_hash(" LID@test.example ") != email_hash(UNKNOWN)


# Authentication

def test_logins_failures_and_throttling_are_recorded_from_the_client_address(app, security_lines):
    member = new_user(MEMBER)
    browser = app.test_client()
    assert login_from(browser, MEMBER, PASSWORD, "198.51.100.7").status_code == 302
    success = only(events.LOGIN)
    assert (success.actor_id, success.target_type, success.target_id) == (member.id, "user", member.id)
    assert success.client_address == "198.51.100.7" and success.outcome == "success"
    assert success.user_agent and success.request_id

    attacker = app.test_client()
    for _ in range(5):
        assert login_from(attacker, MEMBER, WRONG, "203.0.113.9").status_code == 200
    assert login_from(attacker, UNKNOWN, WRONG, "203.0.113.9").status_code == 200
    failures = rows(events.LOGIN_FAILED)
    assert len(failures) == 6 and {row.actor_id for row in failures} == {None}
    assert failures[0].target_id == member.id and failures[0].details["reason"] == "wrong_password"
    assert failures[0].details["email"] == "l***@test.example" and failures[0].email_hash == email_hash(MEMBER)
    assert failures[-1].target_id is None and failures[-1].details["reason"] == "unknown_address"

    assert login_from(attacker, MEMBER, WRONG, "203.0.113.9").status_code == 429
    throttled = only(events.THROTTLED)
    assert throttled.client_address == "203.0.113.9" and throttled.outcome == "denied"
    assert throttled.details["route"] == "/account/aanmelden" and throttled.details["status"] == 429
    assert throttled.email_hash == email_hash(MEMBER)
    assert [line["event"] for line in security_lines()] == [
        events.LOGIN, *[events.LOGIN_FAILED] * 6, events.THROTTLED]


def test_a_failed_login_is_committed_although_the_login_is_refused(app):
    """The login view catches the refusal inside its unit of work (portal/accounts/services.py authenticate):
    the failure's event must survive the end of the request, which rolls back whatever was not committed."""
    member = new_user(MEMBER)
    member.active = False
    db.session.commit()
    assert login(app.test_client(), MEMBER, WRONG).status_code == 200
    assert login(app.test_client(), MEMBER).status_code == 200  # right password, blocked account
    db.session.rollback()
    assert [row.details["reason"] for row in rows(events.LOGIN_FAILED)] == ["wrong_password", "blocked"]


def test_refusals_to_signed_in_users_are_recorded_but_not_mistyped_addresses(app):
    member = new_user(MEMBER)
    browser = app.test_client()
    log_in(browser, member)
    assert browser.get("/beheer/gebruikers/").status_code == 403
    assert browser.get("/mijn/organisaties/bestaat-niet").status_code == 404
    assert browser.get("/hier-is-niets").status_code == 404  # no route: no refusal of anything
    assert app.test_client().get("/beheer/gebruikers/").status_code == 302  # anonymous: asked to log in
    denied = rows(events.ACCESS_DENIED)
    assert [(row.actor_id, row.details["status"], row.details["route"]) for row in denied] == [
        (member.id, 403, "/beheer/gebruikers/"), (member.id, 404, "/mijn/organisaties/<slug>")]


# Account lifecycle

def test_registration_confirmation_reset_email_change_and_deletion(app, mailbox, security_lines):
    browser = app.test_client()
    submit(browser, "/account/registreren", {"display_name": "Nieuw Lid", "email": NEWCOMER, "password": PASSWORD})
    newcomer = user_id(NEWCOMER)
    assert (only(events.REGISTERED).target_id, only(events.REGISTERED).outcome) == (newcomer, "success")
    browser.get(link_in(mailbox.to(NEWCOMER)[-1], "/account/bevestigen/"))
    assert login(browser, NEWCOMER).status_code == 302
    assert only(events.CONFIRMED).actor_id == newcomer

    submit(app.test_client(), "/account/wachtwoord-vergeten", {"email": NEWCOMER})
    submit(app.test_client(), "/account/wachtwoord-vergeten", {"email": UNKNOWN})
    known, unknown = rows(events.RESET_REQUESTED)
    assert (known.target_id, known.outcome, unknown.target_id, unknown.outcome) == (newcomer, "success", None,
                                                                                   "failure")
    assert unknown.email_hash == email_hash(UNKNOWN)
    reset_link = link_in(mailbox.to(NEWCOMER)[-1], "/account/wachtwoord-herstellen/")
    submit(app.test_client(), reset_link, {"password": CHOSEN})
    assert only(events.PASSWORD_RESET).target_id == newcomer

    assert login(browser, NEWCOMER, CHOSEN).status_code == 302
    submit(browser, "/account/e-mailadres-wijzigen", {"password": CHOSEN, "new_email": NEW_ADDRESS})
    assert only(events.EMAIL_CHANGE_REQUESTED).details["email"] == "a***@test.example"
    browser.get(link_in(mailbox.to(NEW_ADDRESS)[-1], "/account/e-mailadres-bevestigen/"))
    changed = only(events.EMAIL_CHANGED)
    assert changed.details == {"email": "a***@test.example", "previous": "n***@test.example"}

    submit(browser, "/account/verwijderen", {"password": CHOSEN, "confirm": "y"})
    deleted = only(events.ACCOUNT_DELETED)
    assert (deleted.actor_id, deleted.target_id) == (newcomer, newcomer)
    assert_nothing_secret(security_lines, mailbox, [NEWCOMER, UNKNOWN, NEW_ADDRESS], [PASSWORD, CHOSEN])


def test_blocking_and_unblocking_are_recorded_with_the_admin_as_actor(app):
    admin, member = new_user(ADMIN, is_admin=True), new_user(MEMBER)
    browser = app.test_client()
    log_in(browser, admin)
    for action in ("blokkeren", "deblokkeren"):
        submit(browser, f"/beheer/gebruikers/{member.id}/{action}", {}, form_page="/beheer/gebruikers/")
    assert [(row.event, row.actor_id, row.target_type, row.target_id) for row in rows()[1:]] == [
        (events.USER_BLOCKED, admin.id, "user", member.id), (events.USER_UNBLOCKED, admin.id, "user", member.id)]


# Organisations: membership, invitations, join requests, API keys

@pytest.fixture
def organisation(app):
    admin, owner = new_user(ADMIN, is_admin=True), new_user(MEMBER)
    with app.test_request_context():
        found = create_organisation(owner, OrganisationInputFactory(name="Organisatie A"))
        verify(admin, found)
    db.session.commit()
    browser = app.test_client()
    log_in(browser, owner)
    return {"organisation": found, "owner": owner, "admin": admin, "browser": browser,
            "dashboard": f"/mijn/organisaties/{found.slug}"}


def on_dashboard(org, path: str, data: dict | None = None, browser=None):
    return submit(browser or org["browser"], org["dashboard"] + path, data or {}, form_page=org["dashboard"])


def test_membership_events_name_the_acting_member_and_the_organisation(app, organisation, mailbox, security_lines):
    org, owner = organisation, organisation["owner"]
    organisation_id = org["organisation"].id
    assert on_dashboard(org, "/uitnodigen", {"email": NEWCOMER, "role": "editor"}).status_code == 302
    sent = only(events.INVITATION_SENT)
    assert (sent.actor_id, sent.target_type, sent.target_id) == (owner.id, "organisation", organisation_id)
    assert sent.details["email"] == "n***@test.example" and sent.details["role"] == "editor"

    newcomer = new_user(NEWCOMER)
    invited = app.test_client()
    log_in(invited, newcomer)
    link = link_in(mailbox.to(NEWCOMER)[-1], "/uitnodiging/")
    assert submit(invited, link, {}).status_code == 302
    assert only(events.INVITATION_ACCEPTED).actor_id == newcomer.id
    added = only(events.MEMBER_ADDED)
    assert (added.actor_id, added.target_id, added.details["member"]) == (newcomer.id, organisation_id, newcomer.id)

    assert on_dashboard(org, f"/leden/{newcomer.id}/rol", {"role": "owner"}).status_code == 302
    role = only(events.ROLE_CHANGED)
    assert (role.actor_id, role.details["member"], role.details["previous"], role.details["role"]) == (
        owner.id, newcomer.id, "editor", "owner")
    _token, key = organisations.create_api_token(newcomer, org["organisation"], "Koppeling")
    db.session.commit()
    assert on_dashboard(org, "/verlaten", {"revoke_api_tokens": "y"}, browser=invited).status_code == 302
    left = only(events.MEMBER_LEFT)
    assert (left.actor_id, left.details["member"], left.details["revoked"]) == (newcomer.id, newcomer.id, 1)
    revoked = only(events.API_KEY_REVOKED)
    assert revoked.actor_id == newcomer.id and revoked.details["by"] == "membership_end"

    other = new_user(UNKNOWN)
    asking = app.test_client()
    log_in(asking, other)
    submit(asking, f"/organisaties/{org['organisation'].slug}/lid-worden", {"message": ""})
    request_id = db.session.scalar(select(JoinRequest.id))
    assert on_dashboard(org, f"/verzoeken/{request_id}/goedkeuren", {"role": "editor"}).status_code == 302
    decided = only(events.JOIN_REQUEST_DECIDED)
    assert (decided.actor_id, decided.details["member"], decided.details["decision"]) == (
        owner.id, other.id, "approved")
    assert rows(events.MEMBER_ADDED)[-1].details == {"member": other.id, "role": "editor", "by": "join_request"}
    assert on_dashboard(org, f"/leden/{other.id}/verwijderen").status_code == 302
    removed = only(events.MEMBER_REMOVED)
    assert (removed.actor_id, removed.details["member"]) == (owner.id, other.id)
    assert_nothing_secret(security_lines, mailbox, [MEMBER, NEWCOMER, UNKNOWN], [PASSWORD, key])


def test_api_keys_made_used_from_new_addresses_and_revoked(app, organisation, security_lines):
    org, owner = organisation, organisation["owner"]
    page = on_dashboard(org, "/api-sleutels", {"name": "Koppeling website"})
    key = BeautifulSoup(page.get_data(as_text=True), "html.parser").select_one("code.api-token").get_text()
    created = only(events.API_KEY_CREATED)
    assert (created.actor_id, created.target_type) == (owner.id, "api_key")
    api = app.test_client()
    for number, address in enumerate(("192.0.2.1", "192.0.2.1", "192.0.2.2")):
        response = api.post("/api/v1/listings", json={**RECORD, "id": f"sterren-{number}"}, headers=bearer(key),
                            environ_base={"REMOTE_ADDR": address})
        assert response.status_code == 201
    used = rows(events.API_KEY_NEW_ADDRESS)
    assert [(row.client_address, row.actor_id, row.target_id) for row in used] == [
        ("192.0.2.1", owner.id, created.target_id), ("192.0.2.2", owner.id, created.target_id)]
    # Another organisation's listing (or none) is "not found" for the key: a refusal, by the key's maker.
    assert api.put("/api/v1/listings/van-een-ander", json=RECORD, headers=bearer(key)).status_code == 404
    denied = only(events.ACCESS_DENIED)
    assert (denied.actor_id, denied.details["route"]) == (owner.id, "/api/v1/listings/<slug>")
    assert on_dashboard(org, f"/api-sleutels/{created.target_id}/intrekken").status_code == 302
    assert only(events.API_KEY_REVOKED).actor_id == owner.id
    assert_nothing_secret(security_lines, None, [MEMBER], [PASSWORD, key])


def test_admin_actions_are_recorded(app, organisation):
    admin = organisation["admin"]
    verified = only(events.ORGANISATION_VERIFIED)
    assert (verified.actor_id, verified.target_type) == (admin.id, "organisation")
    with app.test_request_context():
        unverified = create_organisation(organisation["owner"], OrganisationInputFactory(name="Organisatie B"))
    db.session.commit()
    browser = app.test_client()
    log_in(browser, admin)
    assert submit(browser, f"/moderatie/organisaties/{unverified.id}/verifieren", {},
                  form_page="/moderatie").status_code == 302
    assert [row.target_id for row in rows(events.ORGANISATION_VERIFIED)] == [organisation["organisation"].id,
                                                                            unverified.id]


def test_moderation_decisions_are_recorded_with_the_moderator(app):
    world = build_world()  # through the catalogue services, beneath moderation: no decisions yet
    assert rows(events.MODERATION_DECISION) == []
    browser = app.test_client()
    log_in(browser, world.admin)
    path = f"/moderatie/aanbod/{world.pending.id}"
    assert browser.post(f"{path}/beslissen", data={**review_form(browser, path), "approve": "y",
                                                   "quality_checks": "inclusion"}).status_code == 302
    decision = only(events.MODERATION_DECISION)
    assert (decision.actor_id, decision.target_type, decision.target_id, decision.details["decision"]) == (
        world.admin.id, "listing", world.pending.id, "approve")


# Transactions

def test_an_event_rolls_back_with_its_action_and_leaves_no_line(app, security_lines):
    member = new_user(MEMBER)
    with app.test_request_context(), unit_of_work() as work:
        record(events.PASSWORD_CHANGED, member, target=member)
        work.discard()
    assert rows() == [] and security_lines() == []
    with app.test_request_context(), unit_of_work():
        record(events.PASSWORD_CHANGED, member, target=member)
        savepoint = db.session.begin_nested()
        record(events.LOGOUT, member, target=member)
        savepoint.rollback()
    assert [row.event for row in rows()] == [events.PASSWORD_CHANGED]
    assert [line["event"] for line in security_lines()] == [events.PASSWORD_CHANGED]


def test_an_unknown_event_name_is_refused(app):
    with pytest.raises(ValueError):
        record("something.else")


# Request ids

def test_every_response_carries_a_fresh_request_id_that_the_log_lines_share(app, security_lines):
    new_user(MEMBER)
    client = app.test_client()
    first, second = client.get("/"), client.get("/", headers={"X-Request-ID": "proxy-chosen-id-1"})
    assert re.fullmatch(r"[0-9a-f]{32}", first.headers["X-Request-ID"])
    assert second.headers["X-Request-ID"] not in (first.headers["X-Request-ID"], "proxy-chosen-id-1")  # untrusted
    response = login(client, MEMBER)
    assert security_lines()[-1]["request_id"] == response.headers["X-Request-ID"] == only(events.LOGIN).request_id


def test_a_trusted_proxys_well_formed_request_id_is_kept(app):
    app.config["TRUST_REQUEST_ID"] = True
    try:
        client = app.test_client()
        assert client.get("/", headers={"X-Request-ID": "nginx-4f1c2a9b77"}).headers["X-Request-ID"] == \
            "nginx-4f1c2a9b77"
        for forged in ("kort", "met spaties erin", "x" * 65, "<script>alert(1)</script>"):
            assert client.get("/", headers={"X-Request-ID": forged}).headers["X-Request-ID"] != forged
        assert client.get("/niets-hier").headers["X-Request-ID"]  # error pages too
    finally:
        app.config["TRUST_REQUEST_ID"] = False


# The admins' page

def test_only_admins_see_the_security_log_page_and_its_link(app):
    admin, member = new_user(ADMIN, is_admin=True), new_user(MEMBER)
    browser = app.test_client()
    log_in(browser, member)
    assert browser.get("/beheer/beveiligingslog/").status_code == 403
    assert "/beheer/beveiligingslog" not in browser.get("/account/").get_data(as_text=True)
    assert app.test_client().get("/beheer/beveiligingslog/").status_code == 302
    log_in(browser := app.test_client(), admin)
    assert "/beheer/beveiligingslog/" in browser.get("/account/").get_data(as_text=True)
    assert "/beheer/beveiligingslog/" in browser.get("/moderatie").get_data(as_text=True)
    page = browser.get("/beheer/beveiligingslog/")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "private, no-store"
    text = text_of(page)
    assert "Beveiligingslogboek" in text and "Aangemeld" in text and "Toegang geweigerd" in text


def listed(browser, query: str) -> list[str]:
    """The event labels on the page for `query`, top to bottom."""
    page = BeautifulSoup(browser.get(f"/beheer/beveiligingslog/?{query}").get_data(as_text=True), "html.parser")
    return [row.select("td")[1].contents[0].strip() for row in page.select("table.security-log tbody tr")]


def test_the_filters_by_event_user_address_and_date(app):
    admin, member = new_user(ADMIN, is_admin=True), new_user(MEMBER)
    login_from(app.test_client(), MEMBER, PASSWORD, "198.51.100.20")
    login_from(app.test_client(), UNKNOWN, WRONG, "203.0.113.5")
    browser = app.test_client()
    log_in(browser, admin)  # from the test client's own address, 127.0.0.1

    assert listed(browser, "") == ["Aangemeld", "Aanmelden mislukt", "Aangemeld"]
    assert listed(browser, "soort=login.failed") == ["Aanmelden mislukt"]
    assert listed(browser, f"gebruiker={member.id}") == ["Aangemeld"]
    assert listed(browser, f"gebruiker={MEMBER}") == ["Aangemeld"]
    assert listed(browser, "gebruiker=l***@test.example") == ["Aangemeld"]
    assert listed(browser, f"gebruiker={UNKNOWN}") == ["Aanmelden mislukt"]  # no account: by its keyed hash
    assert listed(browser, "adres=203.0.113.5") == ["Aanmelden mislukt"]
    assert listed(browser, "adres=198.51.") == ["Aangemeld"]
    assert listed(browser, "adres=198.51.100.2_") == []  # a LIKE wildcard is a plain character
    today = datetime.now(ZoneInfo(app.config["BABEL_DEFAULT_TIMEZONE"])).date()  # the page's dates are local
    assert len(listed(browser, f"van={today.isoformat()}&tot={today.isoformat()}")) == 3
    assert listed(browser, f"tot={(today - timedelta(days=2)).isoformat()}") == []
    page = browser.get("/beheer/beveiligingslog/?van=morgen")
    assert page.status_code == 200 and "Geef een datum als dd-mm-jjjj" in text_of(page)


def test_the_page_is_paginated_and_keeps_the_filters(app):
    admin = new_user(ADMIN, is_admin=True)
    with app.test_request_context(), unit_of_work():
        for _ in range(55):
            record(events.LOGIN_FAILED, None, outcome=events.FAILURE, email=UNKNOWN, reason="unknown_address")
    browser = app.test_client()
    log_in(browser, admin)
    first = BeautifulSoup(browser.get("/beheer/beveiligingslog/?soort=login.failed").get_data(as_text=True),
                          "html.parser")
    assert len(first.select("table.security-log tbody tr")) == 50
    next_link = first.select_one("a[rel=next]")["href"]
    assert "soort=login.failed" in next_link and "pagina=2" in next_link
    assert len(listed(browser, next_link.split("?", 1)[1])) == 5


# Retention

def test_prune_deletes_old_events_and_records_that_it_did(app):
    member = new_user(MEMBER)
    with app.test_request_context(), unit_of_work():
        old = record(events.LOGIN, member, target=member)
        recent = record(events.LOGOUT, member, target=member)
    old.at = utcnow() - timedelta(days=400)
    recent.at = utcnow() - timedelta(days=10)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["security-log", "prune"])
    assert result.exit_code == 0 and "Removed 1 security events older than 365 days" in result.output
    assert [row.event for row in rows()] == [events.LOGOUT, events.LOG_PRUNED]
    result = app.test_cli_runner().invoke(args=["security-log", "prune", "--days", "5"])
    assert "Removed 1 " in result.output
    assert [row.event for row in rows()] == [events.LOG_PRUNED, events.LOG_PRUNED]
    assert rows()[-1].details == {"days": 5, "removed": 1}


# No secrets

def assert_nothing_secret(security_lines, mailbox, addresses: list[str], secrets: list[str]) -> None:
    """Neither the log lines nor the rows hold a full address, a password, a key or a link's token."""
    tokens = []
    for message in (mailbox.messages if mailbox else []):
        tokens += [url.rsplit("/", 1)[-1] for url in re.findall(r"https?://\S+", message.get_content())
                   if len(url.rsplit("/", 1)[-1]) > 20]
    assert tokens or mailbox is None  # the scan looks for the links' tokens too
    logged = "\n".join(json.dumps(line) for line in security_lines())
    stored = "\n".join(json.dumps({column.name: str(getattr(row, column.name))
                                   for column in SecurityEvent.__table__.columns}) for row in rows())
    assert logged and stored
    for text in (logged, stored):
        for secret in [*addresses, *secrets, *tokens]:
            assert secret not in text, secret
