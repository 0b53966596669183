"""Who reaches what: every route of the application x {anonymous, member of A, member of B, admin}, and an
editor of A, who may do with A's listings all that A's owner may.

The cases are generated from the application's URL map, and ONE table below declares the expected outcome of
each. A route without a row fails the suite, so a new route cannot ship without deciding who may use it.
Listings belong to organisation A; B is an unverified organisation with a member of its own.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from portal import create_app
from portal.catalogue import policy
from portal.catalogue import services as catalogue
from portal.catalogue.models import Listing, ListingStatusChange, Organisation
from portal.extensions import db
from portal.mail import queue_mail
from portal.mail.models import DEAD, OutboxMail
from portal.moderation import services as moderation
from portal.moderation.models import ListingReport
from portal.organisations import services as organisations
from portal.organisations.models import OrganisationChange, OrganisationRevision
from portal.submissions import codec
from portal.submissions import services as submissions
from portal.submissions.models import ListingRevision
from tests.factories import OrganisationInputFactory
from tests.forms import log_in
from tests.security.test_workplace_access import EXPECTED as WORKPLACE_ROUTES
from tests.web.test_submission_pages import form_data
from tests.world import build_world, user

# The `app` fixture shares one database session between the test and its requests, so a POST's write lock
# (portal.database.begin_write) finds the test's connection already open; harmless here, noisy otherwise.
pytestmark = pytest.mark.filterwarnings("ignore:Connection is already established:sqlalchemy.exc.SAWarning")

ROLES = ("anonymous", "member_a", "member_b", "admin")
EDITOR = "editor_a"  # reaches every route of this matrix as member_a does: these are all listing routes
LOGIN = "login"  # refused until signed in: a redirect to the login page
ALL_OK = (200, 200, 200, 200)
MEMBERS_OF_A = (LOGIN, 200, 404, 200)  # B must not learn that A's listings exist: 404, not 403
ADMINS_ONLY = (LOGIN, 403, 403, 200)
NOBODY = (404, 404, 404, 404)
KEY_ONLY = (401, 401, 401, 401)  # the write API: a session cookie is no API key, whoever is signed in


@dataclass(frozen=True)
class Rule:
    path: str  # formatted with the world's ids and slugs
    expect: tuple  # outcome for anonymous, member of A, member of B, admin
    data: dict | None = field(default=None)  # the POST body (valid, so only authorisation decides)


LISTING_FORM = {key: value for key, value in form_data("").items(multi=True) if key != "csrf_token"}

MATRIX = {
    ("static", "GET"): Rule("/static/css/site.css", ALL_OK),
    ("catalogue.home", "GET"): Rule("/", ALL_OK),
    ("catalogue.search", "GET"): Rule("/zoeken?q=robot", ALL_OK),
    ("catalogue.listing", "GET"): Rule("/aanbod/{draft_slug}", (404, 200, 404, 200)),
    ("catalogue.organisation", "GET"): Rule("/organisaties/{org_b_slug}", (404, 404, 200, 200)),
    ("submissions.index", "GET"): Rule("/mijn/aanbod", (LOGIN, 200, 200, 200)),
    ("submissions.new", "GET"): Rule("/mijn/aanbod/nieuw?organisatie={org_a_slug}", MEMBERS_OF_A),
    ("submissions.new", "POST"): Rule("/mijn/aanbod/nieuw?organisatie={org_a_slug}", (LOGIN, 302, 404, 302),
                                      {**LISTING_FORM, "status": "published"}),
    ("submissions.detail", "GET"): Rule("/mijn/aanbod/{draft}", MEMBERS_OF_A),
    ("submissions.edit", "GET"): Rule("/mijn/aanbod/{draft}/bewerken", MEMBERS_OF_A),
    ("submissions.edit", "POST"): Rule("/mijn/aanbod/{draft}/bewerken", (LOGIN, 302, 404, 302),
                                       {**LISTING_FORM, "status": "published"}),
    ("submissions.availability", "GET"): Rule("/mijn/aanbod/{draft}/beschikbaarheid", MEMBERS_OF_A),
    ("submissions.availability", "POST"): Rule("/mijn/aanbod/{published}/beschikbaarheid", (LOGIN, 302, 404, 302),
                                               {"availability": "full", "waiting_list": "y"}),
    ("submissions.submit", "POST"): Rule("/mijn/aanbod/{draft}/indienen", (LOGIN, 302, 404, 302), {}),
    ("submissions.withdraw", "POST"): Rule("/mijn/aanbod/{pending}/intrekken", (LOGIN, 302, 404, 302), {}),
    ("moderation.queue", "GET"): Rule("/moderatie", ADMINS_ONLY),
    ("moderation.approve_many", "POST"): Rule("/moderatie/goedkeuren", (LOGIN, 403, 403, 302),
                                              {"items": "listing-{pending}"}),
    ("moderation.listing", "GET"): Rule("/moderatie/aanbod/{pending}", ADMINS_ONLY),
    ("moderation.decide_listing", "POST"): Rule("/moderatie/aanbod/{pending}/beslissen", (LOGIN, 403, 403, 302),
                                                {"approve": "y", "quality_checks": "inclusion",
                                                 "version": "{pending_version}"}),
    ("moderation.unpublish", "POST"): Rule("/moderatie/aanbod/{published}/offline", (LOGIN, 403, 403, 302),
                                           {"reason": "Gaat niet door."}),
    ("moderation.archive", "POST"): Rule("/moderatie/aanbod/{draft}/archiveren", (LOGIN, 403, 403, 302), {}),
    ("moderation.revision", "GET"): Rule("/moderatie/wijzigingen/{revision}", ADMINS_ONLY),
    ("moderation.decide_revision", "POST"): Rule("/moderatie/wijzigingen/{revision}/beslissen",
                                                 (LOGIN, 403, 403, 302),
                                                 {"approve": "y", "version": "{revision_version}"}),
    ("moderation.organisation_revision", "GET"): Rule("/moderatie/organisaties/wijzigingen/{org_revision}",
                                                      ADMINS_ONLY),
    ("moderation.decide_organisation_revision", "POST"): Rule(
        "/moderatie/organisaties/wijzigingen/{org_revision}/beslissen", (LOGIN, 403, 403, 302),
        {"approve": "y", "version": "{org_revision_version}"}),
    ("moderation.organisation_history", "GET"): Rule("/moderatie/organisaties/{org_a}/geschiedenis", ADMINS_ONLY),
    ("moderation.verify_organisation", "POST"): Rule("/moderatie/organisaties/{org_b}/verifieren",
                                                     (LOGIN, 403, 403, 302), {}),
    ("moderation.report", "GET"): Rule("/moderatie/meldingen/{report}", ADMINS_ONLY),
    ("moderation.handle_report", "POST"): Rule("/moderatie/meldingen/{report}/behandelen", (LOGIN, 403, 403, 302),
                                               {"resolve": "y"}),
    ("moderation.log", "GET"): Rule("/moderatie/logboek", ADMINS_ONLY),
    ("reports.report_problem", "GET"): Rule("/aanbod/{published_slug}/melden", ALL_OK),
    ("reports.report_problem", "POST"): Rule("/aanbod/{published_slug}/melden", (302, 302, 302, 302),
                                             {"message": "Het adres klopt niet."}),
    # Open data and the API are anonymous for everyone: what is not public is not there, whoever asks.
    ("api.docs", "GET"): Rule("/api/v1/docs", ALL_OK),
    ("api.openapi", "GET"): Rule("/api/v1/openapi.json", ALL_OK),
    ("api.search", "GET"): Rule("/api/v1/listings?q=robot", ALL_OK),
    ("api.listing", "GET"): Rule("/api/v1/listings/{draft_slug}", NOBODY),
    ("api.organisations", "GET"): Rule("/api/v1/organisations", ALL_OK),
    ("api.organisation", "GET"): Rule("/api/v1/organisations/{org_b_slug}", NOBODY),
    ("api.vocabularies", "GET"): Rule("/api/v1/vocabularies", ALL_OK),
    ("api.create_listing", "POST"): Rule("/api/v1/listings", KEY_ONLY, {"title": "Gekaapt"}),
    ("api.update_listing", "PUT"): Rule("/api/v1/listings/{draft_slug}", KEY_ONLY, {"title": "Gekaapt"}),
    ("api.update_listing", "PATCH"): Rule("/api/v1/listings/{published_slug}", KEY_ONLY, {"title": "Gekaapt"}),
    ("api.submit_listing", "POST"): Rule("/api/v1/listings/{draft_slug}/submit", KEY_ONLY, {}),
    ("exchange.import_page", "GET"): Rule("/beheer/import", ADMINS_ONLY),
    ("security_log.index", "GET"): Rule("/beheer/beveiligingslog/?soort=login&gebruiker={member_a_id}", ADMINS_ONLY),
    # Health and metrics say nothing about anyone: the same answer whoever asks (/metrics: from loopback here).
    ("healthz", "GET"): Rule("/healthz", ALL_OK),
    ("readyz", "GET"): Rule("/readyz", ALL_OK),
    ("metrics", "GET"): Rule("/metrics", ALL_OK),
    ("mail_admin.outbox", "GET"): Rule("/beheer/mail/", ADMINS_ONLY),
    ("mail_admin.resend", "POST"): Rule("/beheer/mail/{dead_letter}/opnieuw", (LOGIN, 403, 403, 302), {}),
    ("exchange.import_page", "POST"): Rule("/beheer/import", (LOGIN, 403, 403, 400), {"mode": "publish"}),
    ("exchange.search_csv", "GET"): Rule("/zoeken.csv?q=robot", ALL_OK),
    ("catalogue.search_map", "GET"): Rule("/zoeken/kaart.json?q=robot", ALL_OK),
    ("exchange.search_json", "GET"): Rule("/zoeken.json?q=robot", ALL_OK),
    ("exchange.catalogue_json", "GET"): Rule("/catalogus.json", ALL_OK),
    ("opendata.sitemap", "GET"): Rule("/sitemap.xml", ALL_OK),
    ("opendata.search_feed", "GET"): Rule("/zoeken.atom?q=robot", ALL_OK),
    ("opendata.search_calendar", "GET"): Rule("/zoeken.ics?q=robot", ALL_OK),
    ("opendata.listing_calendar", "GET"): Rule("/aanbod/{draft_slug}.ics", NOBODY),
    # The reminder's link is its own authority (signed for one member): a made-up one works for nobody.
    ("freshness.confirm", "GET"): Rule("/nog-actueel/verzonnen", (400, 400, 400, 400)),
    ("freshness.confirm_post", "POST"): Rule("/nog-actueel/verzonnen", (400, 400, 400, 400), {}),
    ("freshness.confirm_organisation", "POST"): Rule("/mijn/organisaties/{org_a_slug}/bevestigen",
                                                     (LOGIN, 302, 403, 302), {}),
    ("freshness.confirm_listing", "POST"): Rule("/mijn/aanbod/{published}/bevestigen", (LOGIN, 302, 404, 302), {}),
    ("freshness_admin.report", "GET"): Rule("/moderatie/actualiteit", ADMINS_ONLY),
    ("freshness_admin.remind", "POST"): Rule("/moderatie/actualiteit/{org_a}/herinneren", (LOGIN, 403, 403, 302), {}),
}


def _all_routes() -> set[tuple[str, str]]:
    app = create_app({"PORTAL_ENV": "testing", "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return {(rule.endpoint, method) for rule in app.url_map.iter_rules() for method in rule.methods - {"HEAD", "OPTIONS"}}


ALL_ROUTES = _all_routes()
# The account and organisation routes have their own world (invitations, join requests, charter signatures)
# and their own table in tests/security/test_workplace_access.py; every other route is in MATRIX.
ROUTES = sorted(route for route in ALL_ROUTES if route not in WORKPLACE_ROUTES)


def test_every_route_has_exactly_one_rule():
    assert sorted(ALL_ROUTES - set(MATRIX) - set(WORKPLACE_ROUTES)) == [], "routes without a row in a matrix"
    assert sorted(set(MATRIX) - ALL_ROUTES) == [], "rows in MATRIX for routes that do not exist"
    assert sorted(set(MATRIX) & set(WORKPLACE_ROUTES)) == [], "routes with a row in both matrices"


def build_matrix_world():
    """The workplace world (tests/world.py) with a pending revision and a report on A's published listing, an
    editor of A, and a dead letter in the outbox: every id the MATRIX paths name. Also the pages that tests/browser/test_phone.py reflows."""
    found = build_world()
    live = found.published
    found.revision = submissions.propose_revision(found.member_a, live,
                                                  replace(codec.from_listing(live), title="Robotles vernieuwd"))
    found.report = moderation.report_problem(None, live, "De datum klopt niet.", None)
    found.org_revision = organisations.update_organisation(
        found.member_a, found.org_a, OrganisationInputFactory(name="Robotclub Alfa vernieuwd"))
    found.editor_a = user("redacteur.a@test.example")
    catalogue.add_member(found.admin, found.org_a, found.editor_a, role=policy.EDITOR)
    found.dead_letter = queue_mail("ouder@test.example", "Onderwerp", "Tekst")
    found.dead_letter.status = DEAD
    db.session.commit()
    return found


@pytest.fixture
def world(app):
    return build_matrix_world()


def ids_of(world) -> dict:
    return {
        "draft": world.draft.id, "pending": world.pending.id, "published": world.published.id,
        "draft_slug": world.draft.slug, "published_slug": world.published.slug, "revision": world.revision.id,
        "report": world.report.id, "org_a_slug": world.org_a.slug, "org_b_slug": world.org_b.slug,
        "org_b": world.org_b.id, "pending_version": moderation.version_of(world.pending),
        "revision_version": moderation.version_of(world.revision), "org_a": world.org_a.id,
        "org_revision": world.org_revision.id, "org_revision_version": moderation.version_of(world.org_revision),
        "member_a_id": world.member_a.id, "dead_letter": world.dead_letter.id,
    }


def state() -> tuple:
    """Everything a refused request must leave alone."""
    return (
        db.session.execute(select(Listing.id, Listing.status, Listing.title, Listing.availability)
                           .order_by(Listing.id)).all(),
        db.session.execute(select(ListingRevision.id, ListingRevision.status)).all(),
        db.session.execute(select(ListingReport.id, ListingReport.status)).all(),
        db.session.scalar(select(func.count(ListingStatusChange.id))),
        db.session.execute(select(Organisation.id, Organisation.name).order_by(Organisation.id)).all(),
        db.session.execute(select(OrganisationRevision.id, OrganisationRevision.status)).all(),
        db.session.scalar(select(func.count(OrganisationChange.id))),
        db.session.execute(select(OutboxMail.id, OutboxMail.status).order_by(OutboxMail.id)).all(),
    )


def assert_outcome(response, expected) -> None:
    if expected == LOGIN:
        assert response.status_code == 302 and urlsplit(response.location).path == "/account/aanmelden"
    else:
        assert response.status_code == expected


@contextmanager
def without_csrf(app):
    """The matrix is about authorisation; CSRF is tested on its own below."""
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        yield
    finally:
        app.config["WTF_CSRF_ENABLED"] = True


@pytest.mark.parametrize("role", (*ROLES, EDITOR))
@pytest.mark.parametrize("endpoint, method", ROUTES)
def test_authorisation(app, client, world, endpoint, method, role):
    rule = MATRIX.get((endpoint, method))
    assert rule is not None, f"{endpoint} {method}: add a row to MATRIX"
    values = ids_of(world)
    if role != "anonymous":
        log_in(client, getattr(world, role))
    expected = rule.expect[ROLES.index("member_a" if role == EDITOR else role)]
    before = state()
    url = rule.path.format(**values)
    with without_csrf(app):
        if method == "GET":
            response = client.get(url)
        else:
            data = MultiDict([(key, value.format(**values)) for key, value in MultiDict(rule.data).items(multi=True)])
            response = client.open(url, method=method, data=data)
    assert_outcome(response, expected)
    db.session.expire_all()
    if expected in (LOGIN, 401, 403, 404):
        assert state() == before, "a refused request changed something"
    if (endpoint, method) in {("submissions.new", "POST"), ("submissions.edit", "POST")} and expected == 302:
        saved = db.session.scalar(select(Listing).where(Listing.title == "Sterrenkijkers junior"))
        assert saved.status == "pending"  # submitted for review; the posted status=published was ignored


# The write API is authenticated by an API key in a header, never by the session cookie, so it is exempt from
# CSRF; the rows above show that a signed-in session without a key gets 401 there.
CSRF_EXEMPT = {route for route in MATRIX if route[0] in ("api.create_listing", "api.update_listing",
                                                        "api.submit_listing")}


@pytest.mark.parametrize("endpoint, method", [route for route in ROUTES if route[1] != "GET"
                                              and route not in CSRF_EXEMPT])
def test_every_post_needs_a_csrf_token(app, client, world, endpoint, method):
    rule = MATRIX[(endpoint, method)]
    log_in(client, world.admin)
    before = state()
    response = client.post(rule.path.format(**ids_of(world)), data={
        key: value.format(**ids_of(world)) for key, value in (rule.data or {}).items() if isinstance(value, str)})
    assert response.status_code == 400
    db.session.expire_all()
    assert state() == before
