"""Who reaches which account and organisation route: every route of these blueprints x {anonymous, member of
organisation A, member of organisation B, admin}, generated from the URL map, so a new route without a rule
here fails the suite."""

import pytest
from flask import url_for

from portal.accounts import tokens
from portal.catalogue import policy
from portal.catalogue.services import add_member, create_organisation
from portal.catalogue.services import verify_organisation as verify
from portal.clock import today
from portal.extensions import db
from portal.organisations import services as organisations
from tests.factories import OrganisationInputFactory
from tests.forms import csrf_token, login, new_user

BLUEPRINTS = ("accounts", "account_admin", "organisations")
ROLES = ("anonymous", "member_a", "member_b", "admin")
EVERYONE = ("ok", "ok", "ok", "ok")
LOGGED_IN = ("login", "ok", "ok", "ok")
MEMBERS_OF_A = ("login", "ok", "refused", "ok")
ADMINS = ("login", "refused", "refused", "ok")

# (endpoint, method) -> outcome per role, in the order of ROLES
EXPECTED = {
    ("accounts.register", "GET"): EVERYONE, ("accounts.register", "POST"): EVERYONE,
    ("accounts.confirm", "GET"): EVERYONE,
    ("accounts.login", "GET"): EVERYONE, ("accounts.login", "POST"): EVERYONE,
    ("accounts.logout", "POST"): LOGGED_IN,
    ("accounts.forgot_password", "GET"): EVERYONE, ("accounts.forgot_password", "POST"): EVERYONE,
    ("accounts.reset_password", "GET"): EVERYONE, ("accounts.reset_password", "POST"): EVERYONE,
    ("accounts.account", "GET"): LOGGED_IN,
    ("accounts.change_password", "GET"): LOGGED_IN, ("accounts.change_password", "POST"): LOGGED_IN,
    ("accounts.change_email", "GET"): LOGGED_IN, ("accounts.change_email", "POST"): LOGGED_IN,
    ("accounts.confirm_email_change", "GET"): EVERYONE,
    ("accounts.export_data", "GET"): LOGGED_IN,
    ("accounts.delete_account", "GET"): LOGGED_IN, ("accounts.delete_account", "POST"): LOGGED_IN,
    ("account_admin.users", "GET"): ADMINS, ("account_admin.block", "POST"): ADMINS,
    ("organisations.mine", "GET"): LOGGED_IN,
    ("organisations.register", "GET"): LOGGED_IN, ("organisations.register", "POST"): LOGGED_IN,
    ("organisations.dashboard", "GET"): MEMBERS_OF_A,
    ("organisations.edit", "GET"): MEMBERS_OF_A, ("organisations.edit", "POST"): MEMBERS_OF_A,
    ("organisations.withdraw_revision", "POST"): MEMBERS_OF_A,  # the owner's change of A's details waits
    # A's own member cannot ask to join A; anyone else who is logged in can.
    ("organisations.join", "GET"): ("login", "refused", "ok", "ok"),
    ("organisations.join", "POST"): ("login", "refused", "ok", "ok"),
    ("organisations.decide", "POST"): MEMBERS_OF_A,
    ("organisations.invite", "POST"): MEMBERS_OF_A,
    # Owners (and admins) change the role of and remove A's editor; a member leaves, an admin is none.
    ("organisations.change_member_role", "POST"): MEMBERS_OF_A,
    ("organisations.remove_member", "POST"): MEMBERS_OF_A,
    ("organisations.leave", "POST"): ("login", "ok", "refused", "refused"),
    # The mailed link is the permission; accepting asks to log in first.
    ("organisations.invitation", "GET"): EVERYONE, ("organisations.invitation", "POST"): EVERYONE,
    ("organisations.sign_charter", "GET"): ("login", "ok", "refused", "refused"),
    ("organisations.sign_charter", "POST"): ("login", "ok", "refused", "refused"),
    ("organisations.create_api_token", "POST"): MEMBERS_OF_A,
    ("organisations.revoke_api_token", "POST"): MEMBERS_OF_A,
    ("organisations.review", "GET"): ADMINS,
    ("organisations.verify", "POST"): ADMINS,
    ("organisations.verify_charter", "POST"): ADMINS,
}

# An editor of A manages A's listings, not A itself: where only A's owners (and admins) may act, it is refused;
# elsewhere it is treated as the member of A is.
OWNERS_ONLY = {
    ("organisations.edit", "GET"), ("organisations.edit", "POST"), ("organisations.withdraw_revision", "POST"),
    ("organisations.decide", "POST"),
    ("organisations.invite", "POST"), ("organisations.change_member_role", "POST"),
    ("organisations.remove_member", "POST"), ("organisations.sign_charter", "GET"), ("organisations.sign_charter", "POST"),
    ("organisations.create_api_token", "POST"), ("organisations.revoke_api_token", "POST"),
}
EDITOR_OF_A = {route: "refused" if route in OWNERS_ONLY else expected[ROLES.index("member_a")]
               for route, expected in EXPECTED.items()}


def routes(app):
    return {(rule.endpoint, method) for rule in app.url_map.iter_rules()
            if rule.endpoint.split(".")[0] in BLUEPRINTS for method in rule.methods - {"HEAD", "OPTIONS"}}


def test_every_route_has_a_rule(app):
    assert routes(app) == set(EXPECTED)


@pytest.fixture
def world(app):
    with app.test_request_context():  # the services write mails with absolute links
        return make_world()


def make_world():
    admin, a, b, other = (new_user("admin@test.example", is_admin=True), new_user("a@test.example"),
                          new_user("b@test.example"), new_user("ander@test.example"))
    organisation_a = create_organisation(a, OrganisationInputFactory(name="Organisatie A"))
    organisation_b = create_organisation(b, OrganisationInputFactory(name="Organisatie B"))
    organisation_c = create_organisation(other, OrganisationInputFactory(name="Organisatie C"))
    verify(admin, organisation_a)
    verify(admin, organisation_b)
    editor = new_user("redacteur@test.example")
    add_member(a, organisation_a, editor, role=policy.EDITOR)
    db.session.flush()
    join_request = organisations.request_to_join(other, organisation_a, "")
    invitation = organisations.invite(a, organisation_a, "nieuw@test.example")
    signature = organisations.sign_charter(a, organisation_a, organisations.CharterInput(
        commitment="Wij ontvangen elke maand een klas in onze werkplaats voor een STEM-dag.",
        contact_name="An", contact_email="an@test.example", web_address="https://a.example/charter",
        target_groups=["everyone"], disciplines=["technology"], formats=["visit"]), today())
    api_token, _key = organisations.create_api_token(a, organisation_a, "Koppeling")
    organisations.update_organisation(a, organisation_a, OrganisationInputFactory(name="Organisatie A vernieuwd"))
    db.session.commit()
    return {
        "slug": organisation_a.slug, "unverified_slug": organisation_c.slug, "user_id": other.id,
        "member_id": editor.id,
        "request_id": join_request.id, "signature_id": signature.id, "token_id": api_token.id,
        "invitation_token": tokens.issue("invite", invitation.id, f"{invitation.email}|None"),
    }


def url_for_route(app, endpoint: str, world: dict) -> str:
    rule = next(rule for rule in app.url_map.iter_rules() if rule.endpoint == endpoint)
    values = {
        "slug": world["unverified_slug"] if endpoint == "organisations.verify" else world["slug"],
        "token": world["invitation_token"] if endpoint == "organisations.invitation" else "bogus-token",
        "user_id": world["user_id"], "member_id": world["member_id"], "action": "blokkeren", "request_id": world["request_id"],
        "decision": "weigeren", "signature_id": world["signature_id"],
        "token_id": world["token_id"],
    }
    with app.test_request_context():
        return url_for(endpoint, **{name: values[name] for name in rule.arguments})


def outcome(response) -> str:
    if response.status_code == 302 and response.headers["Location"].startswith("/account/aanmelden"):
        return "login"
    if response.status_code in (403, 404):
        return "refused"
    assert response.status_code in (200, 302, 400), response.status_code  # 400: a form or link the route refused
    return "ok"


def outcome_for(app, path: str, method: str, email: str | None) -> str:
    client = app.test_client()
    if email:
        login(client, email)
    if method == "GET":
        return outcome(client.get(path))
    return outcome(client.post(path, data={"csrf_token": csrf_token(client, "/account/aanmelden")}))


@pytest.mark.parametrize("endpoint, method", sorted(EXPECTED))
def test_route_access(app, world, endpoint, method):
    path = url_for_route(app, endpoint, world)
    emails = {"member_a": "a@test.example", "member_b": "b@test.example", "admin": "admin@test.example"}
    found = [outcome_for(app, path, method, emails.get(role)) for role in ROLES]
    assert tuple(found) == EXPECTED[(endpoint, method)]


@pytest.mark.parametrize("endpoint, method", sorted(EXPECTED))
def test_route_access_of_an_editor(app, world, endpoint, method):
    path = url_for_route(app, endpoint, world)
    assert outcome_for(app, path, method, "redacteur@test.example") == EDITOR_OF_A[(endpoint, method)]


@pytest.mark.parametrize("endpoint, method", [route for route in sorted(EXPECTED) if route[1] == "POST"])
def test_every_post_needs_a_csrf_token(app, world, endpoint, method):
    client = app.test_client()
    login(client, "admin@test.example")
    response = client.post(url_for_route(app, endpoint, world), data={})
    assert response.status_code == 400
