"""The role -> permission table decides: an editor manages listings only, and every policy function reads the table."""

from __future__ import annotations

import pytest

from portal.accounts import policy as account_policy
from portal.catalogue import policy, services
from portal.extensions import db
from portal.organisations import policy as organisation_policy
from tests.factories import ListingInputFactory, OrganisationInputFactory, make_user


@pytest.fixture
def owner(app):
    return make_user("eigenaar@test.example")


@pytest.fixture
def organisation(owner):
    found = services.create_organisation(owner, OrganisationInputFactory())
    db.session.flush()
    return found


@pytest.fixture
def editor(owner, organisation):
    user = make_user("redacteur@test.example")
    services.add_member(owner, organisation, user, role=policy.EDITOR)
    db.session.flush()
    return user


def test_an_editor_manages_listings_but_not_the_organisation(owner, editor, organisation):
    listing = services.create_listing(editor, organisation, ListingInputFactory())
    services.submit_listing(editor, listing)
    assert policy.can_edit_listing(editor, listing) and policy.can_view_organisation(editor, organisation)
    assert not organisation_policy.can_write_with_api_token(editor, organisation)  # not verified yet
    services.verify_organisation(make_user("beheer@test.example", is_admin=True), organisation)
    assert organisation_policy.can_write_with_api_token(editor, organisation)
    for may_not in (policy.can_manage_members, organisation_policy.can_invite, organisation_policy.can_edit_organisation,
                    organisation_policy.can_manage_api_tokens, organisation_policy.can_decide_join_request,
                    organisation_policy.can_sign_charter):
        assert not may_not(editor, organisation), may_not.__name__
        assert may_not(owner, organisation), may_not.__name__


def test_removing_a_permission_from_a_role_denies_it(monkeypatch, owner, editor, organisation):
    listing = services.create_listing(owner, organisation, ListingInputFactory())
    monkeypatch.setitem(policy.ROLE_PERMISSIONS, policy.EDITOR, frozenset())
    assert not policy.can_edit_listing(editor, listing) and not policy.can_create_listing(editor, organisation)
    assert not organisation_policy.can_view_dashboard(editor, organisation)
    assert policy.can_edit_listing(owner, listing)
    owner_permissions = policy.ROLE_PERMISSIONS[policy.OWNER]
    monkeypatch.setitem(policy.ROLE_PERMISSIONS, policy.OWNER, owner_permissions - {policy.MANAGE_API_TOKENS})
    assert not organisation_policy.can_manage_api_tokens(owner, organisation)


def test_the_admin_override_is_a_row_of_the_table(monkeypatch, organisation):
    admin = make_user("beheer@test.example", is_admin=True)
    assert policy.can_moderate(admin) and account_policy.can_manage_users(admin)
    assert organisation_policy.can_edit_organisation(admin, organisation)
    assert not organisation_policy.can_sign_charter(admin, organisation)  # the organisation's own declaration
    monkeypatch.setitem(policy.ROLE_PERMISSIONS, policy.ADMIN, frozenset())
    assert not policy.can_moderate(admin) and not account_policy.can_manage_users(admin)
    assert not organisation_policy.can_edit_organisation(admin, organisation)
