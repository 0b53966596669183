"""Issue 13, item 6: membership can be revoked, owners choose roles, and an invitation works only for the invited
address. The rules live in the services, so the pages (tested here) and every other caller get them."""

import pytest
from sqlalchemy import select

from portal.accounts.models import Membership, User
from portal.catalogue import policy
from portal.catalogue.services import add_member, create_organisation
from portal.catalogue.services import verify_organisation as verify
from portal.domain import InvalidTransition
from portal.extensions import db
from portal.organisations import services as organisations
from portal.organisations.models import ApiToken, JoinRequest
from tests.api.test_write_api import RECORD, bearer
from tests.factories import OrganisationInputFactory
from tests.forms import link_in, login, new_user, submit, text_of

OWNERLESS = "de organisatie zou dan geen eigenaar meer hebben"


@pytest.fixture
def org(app):
    """Verified organisation A with its founding owner, a second owner with an API key, and an editor; and an
    admin. Everyone is logged in."""
    admin, owner, second, editor = (new_user("admin@test.example", is_admin=True), new_user("a@test.example"),
                                    new_user("tweede@test.example"), new_user("redacteur@test.example"))
    organisation = create_organisation(owner, OrganisationInputFactory(name="Organisatie A"))
    verify(admin, organisation)
    add_member(owner, organisation, second, role=policy.OWNER)
    add_member(owner, organisation, editor, role=policy.EDITOR)
    db.session.flush()
    _token, key = organisations.create_api_token(second, organisation, "Koppeling")
    db.session.commit()
    found = {"slug": organisation.slug, "key": key,
             "ids": {"a": owner.id, "tweede": second.id, "redacteur": editor.id, "admin": admin.id}}
    for name in ("admin", "a", "tweede", "redacteur"):
        found[name] = app.test_client()
        login(found[name], f"{name}@test.example")
    return found


def dashboard(org) -> str:
    return f"/mijn/organisaties/{org['slug']}"


def post(org, who: str, path: str, data: dict | None = None):
    return submit(org[who], dashboard(org) + path, data or {}, form_page=dashboard(org))


def role_of(org, name: str) -> str | None:
    db.session.expire_all()
    return db.session.scalar(select(Membership.role).where(Membership.user_id == org["ids"][name]))


def test_the_dashboard_offers_owners_the_member_controls_without_javascript(org):
    page = org["a"].get(dashboard(org)).get_data(as_text=True)
    editor_id = org["ids"]["redacteur"]
    assert f'action="{dashboard(org)}/leden/{editor_id}/verwijderen"' in page
    assert f'action="{dashboard(org)}/leden/{editor_id}/rol"' in page
    assert "ook de API-sleutels van deze persoon intrekken" in page
    assert 'name="revoke_api_tokens" value="y" checked' in page  # revoking the keys is the default
    assert "Deze organisatie verlaten" in page
    editor_view = org["redacteur"].get(dashboard(org)).get_data(as_text=True)
    assert "/verwijderen" not in editor_view and "Deze organisatie verlaten" in editor_view


def test_an_owner_removes_a_member_whose_access_and_keys_end_at_once(org, client, mailbox):
    assert client.post("/api/v1/listings", json=RECORD, headers=bearer(org["key"])).status_code == 201
    removed = post(org, "a", f"/leden/{org['ids']['tweede']}/verwijderen", {"revoke_api_tokens": "y"})
    assert removed.status_code == 302
    assert role_of(org, "tweede") is None
    assert org["tweede"].get(dashboard(org)).status_code == 403  # the same session, the next request
    assert db.session.scalar(select(ApiToken.revoked_at)) is not None
    assert client.post("/api/v1/listings", json={**RECORD, "id": "sterren-2"},
                       headers=bearer(org["key"])).status_code == 401
    [mail] = mailbox.to("tweede@test.example")
    assert mail["Subject"] == "Je bent geen lid meer van Organisatie A"
    assert "API-sleutels voor deze organisatie zijn ingetrokken" in mail.get_content()


def test_the_open_invitations_of_a_removed_member_stop_working(app, org, mailbox):
    assert post(org, "tweede", "/uitnodigen", {"email": "handlanger@test.example", "role": "owner"}).status_code == 302
    link = link_in(mailbox.to("handlanger@test.example")[0], "/uitnodiging/")
    assert post(org, "a", f"/leden/{org['ids']['tweede']}/verwijderen", {"revoke_api_tokens": "y"}).status_code == 302
    new_user("handlanger@test.example")
    accomplice = app.test_client()
    login(accomplice, "handlanger@test.example")
    assert accomplice.get(link).status_code == 400
    assert submit(accomplice, link, {}, form_page="/account/").status_code == 400
    assert accomplice.get(dashboard(org)).status_code == 403


def test_removing_without_revoking_keeps_the_key_row_but_it_no_longer_works(org, client):
    assert post(org, "a", f"/leden/{org['ids']['tweede']}/verwijderen").status_code == 302  # box unticked
    db.session.expire_all()
    assert db.session.scalar(select(ApiToken.revoked_at)) is None
    assert client.post("/api/v1/listings", json=RECORD, headers=bearer(org["key"])).status_code == 401


def test_an_owner_changes_a_members_role_both_ways(org, mailbox):
    edit_page = dashboard(org) + "/gegevens"
    assert org["redacteur"].get(edit_page).status_code == 403
    assert post(org, "a", f"/leden/{org['ids']['redacteur']}/rol", {"role": "owner"}).status_code == 302
    assert role_of(org, "redacteur") == "owner" and org["redacteur"].get(edit_page).status_code == 200
    assert mailbox.to("redacteur@test.example")[0]["Subject"] == "Je rol bij Organisatie A"
    assert post(org, "a", f"/leden/{org['ids']['redacteur']}/rol", {"role": "editor"}).status_code == 302
    assert role_of(org, "redacteur") == "editor" and org["redacteur"].get(edit_page).status_code == 403
    refused = post(org, "a", f"/leden/{org['ids']['redacteur']}/rol", {"role": "koning"})
    assert "Kies een rol" in text_of(org["a"].get(refused.headers["Location"]))


def test_an_editor_neither_removes_members_nor_changes_roles(org):
    assert post(org, "redacteur", f"/leden/{org['ids']['a']}/verwijderen").status_code == 403
    assert post(org, "redacteur", f"/leden/{org['ids']['redacteur']}/rol", {"role": "owner"}).status_code == 403
    assert role_of(org, "a") == "owner" and role_of(org, "redacteur") == "editor"


def test_a_member_leaves_and_the_owners_hear_of_it(org, mailbox):
    left = post(org, "redacteur", "/verlaten", {"revoke_api_tokens": "y"})
    assert left.status_code == 302 and left.headers["Location"] == "/mijn/organisaties"
    assert role_of(org, "redacteur") is None
    assert org["redacteur"].get(dashboard(org)).status_code == 403
    assert mailbox.to("a@test.example")[0]["Subject"] == "redacteur verliet Organisatie A"


def test_the_last_owner_can_neither_leave_be_removed_nor_be_made_editor(org):
    assert post(org, "a", f"/leden/{org['ids']['tweede']}/verwijderen").status_code == 302
    owner = org["ids"]["a"]
    for who, path, data in (("a", "/verlaten", {}), ("admin", f"/leden/{owner}/verwijderen", {}),
                            ("admin", f"/leden/{owner}/rol", {"role": "editor"}),
                            ("a", f"/leden/{owner}/rol", {"role": "editor"})):
        refused = post(org, who, path, data)
        assert refused.status_code == 302
        assert OWNERLESS in text_of(org[who].get(refused.headers["Location"])), (who, path)
        assert role_of(org, "a") == "owner"
    assert "Je bent de enige eigenaar" in text_of(org["a"].get(dashboard(org)))


def test_the_last_owner_rule_holds_for_every_caller_of_the_service(org):
    owner = db.session.get(User, org["ids"]["a"])
    organisation = organisations.organisation_by_slug(org["slug"], owner)
    organisations.remove_member(owner, organisation, org["ids"]["tweede"])
    with pytest.raises(InvalidTransition, match=OWNERLESS):
        organisations.remove_member(owner, organisation, owner.id)
    with pytest.raises(InvalidTransition, match=OWNERLESS):
        organisations.change_member_role(owner, organisation, owner.id, policy.EDITOR)


def test_an_admin_removes_members_and_changes_roles(org):
    assert post(org, "admin", f"/leden/{org['ids']['redacteur']}/rol", {"role": "owner"}).status_code == 302
    assert role_of(org, "redacteur") == "owner"
    assert post(org, "admin", f"/leden/{org['ids']['tweede']}/verwijderen").status_code == 302
    assert role_of(org, "tweede") is None


@pytest.mark.parametrize("chosen, expected", [({}, "editor"), ({"role": "owner"}, "owner")])
def test_owners_choose_the_role_of_an_invited_colleague(app, org, mailbox, chosen, expected):
    assert post(org, "a", "/uitnodigen", {"email": "collega@test.example", **chosen}).status_code == 302
    link = link_in(mailbox.to("collega@test.example")[0], "/uitnodiging/")
    new_user("collega@test.example")
    colleague = app.test_client()
    login(colleague, "collega@test.example")
    assert "Je wordt " + {"editor": "redacteur", "owner": "eigenaar"}[expected] in text_of(colleague.get(link))
    assert submit(colleague, link, {}).status_code == 302
    assert db.session.scalar(select(Membership.role).join(Membership.user).where(
        Membership.user.has(email="collega@test.example"))) == expected


def test_an_unknown_role_in_an_invitation_is_refused(org, mailbox):
    refused = post(org, "a", "/uitnodigen", {"email": "collega@test.example", "role": "koning"})
    assert refused.status_code == 400 and "Kies een rol" in text_of(refused)
    assert mailbox.to("collega@test.example") == []


def test_owners_choose_the_role_when_approving_a_join_request_editor_by_default(app, org):
    for email, chosen, expected in (("nieuw@test.example", {}, "editor"),
                                    ("tweede-nieuw@test.example", {"role": "owner"}, "owner")):
        new_user(email)
        newcomer = app.test_client()
        login(newcomer, email)
        assert submit(newcomer, f"/organisaties/{org['slug']}/lid-worden", {"message": ""}).status_code == 302
        request_id = db.session.scalar(select(JoinRequest.id).where(JoinRequest.user.has(email=email)))
        assert post(org, "a", f"/verzoeken/{request_id}/goedkeuren", chosen).status_code == 302
        assert db.session.scalar(select(Membership.role).join(Membership.user).where(
            Membership.user.has(email=email))) == expected


def test_an_invitation_is_accepted_only_by_the_invited_address(app, org, mailbox):
    assert post(org, "a", "/uitnodigen", {"email": "collega@test.example"}).status_code == 302
    link = link_in(mailbox.to("collega@test.example")[0], "/uitnodiging/")
    new_user("iemand-anders@test.example")
    other = app.test_client()
    login(other, "iemand-anders@test.example")
    assert "voor een ander e-mailadres" in text_of(other.get(link))
    refused = submit(other, link, {})
    assert refused.status_code == 400 and "voor een ander e-mailadres" in text_of(refused)
    assert db.session.scalar(select(Membership).join(Membership.user).where(
        Membership.user.has(email="iemand-anders@test.example"))) is None
    new_user("Collega@test.example")  # the invited address, however it is capitalised
    colleague = app.test_client()
    login(colleague, "collega@test.example")
    assert submit(colleague, link, {}).status_code == 302  # the refusal did not use the link up
