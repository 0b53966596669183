"""`flask shell` starts with the database, every model and the services at hand."""

from portal import models
from portal.extensions import db


def test_the_shell_context_has_the_database_the_models_and_the_services(_empty_app):
    with _empty_app.app_context():
        context = _empty_app.make_shell_context()
        assert context["db"] is db
    assert {name for name in models.__all__} <= set(context)
    assert context["Listing"] is models.Listing
    assert callable(context["catalogue"].create_listing) and callable(context["policy"].allowed)
    assert callable(context["submissions"].save_listing) and callable(context["moderation"].listing_history)
