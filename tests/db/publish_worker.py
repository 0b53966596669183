"""Publishes listings from a separate process: `python -m tests.db.publish_worker COUNT PREFIX [crash]`.

Used by the sync tests for concurrent publishers and for a crash between a commit and its index update.
DATABASE_URL and SEARCH_INDEX_DIR come from the environment; the database holds an admin and a verified
organisation.
"""

import os
import sys

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from portal import create_app
from portal.accounts.models import User
from portal.catalogue import services
from portal.catalogue.models import Organisation
from portal.database import begin_write
from portal.extensions import db
from tests.factories import ListingInputFactory


def main(count: int, prefix: str, crash: bool) -> None:
    app = create_app({"PORTAL_ENV": "testing", "SECRET_KEY": "test-secret"})
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.is_admin))
        organisation = db.session.scalar(select(Organisation))
        db.session.commit()
        if crash:  # die right after the next database commit, before the index hears of it
            event.listen(Session, "after_commit", lambda session: os._exit(17), insert=True)
        for number in range(count):
            begin_write(db.session)  # as every request or command that changes data does
            listing = services.create_listing(admin, organisation, ListingInputFactory(title=f"{prefix} {number}"))
            services.submit_listing(admin, listing)
            services.publish_listing(admin, listing)
            db.session.commit()


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2], len(sys.argv) > 3 and sys.argv[3] == "crash")
