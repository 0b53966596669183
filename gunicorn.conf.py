"""gunicorn's settings; gunicorn reads this file from the directory it starts in (`gunicorn wsgi:app`)."""

from portal.config import WORKER_TIMEOUT

# The web import's limit (IMPORT_MAX_RECORDS, portal/config.py) is set to finish well within it.
timeout = WORKER_TIMEOUT


def post_worker_init(worker):
    """Load the search's Dutch language data (a few seconds) before a worker's first request, not during it."""
    from search_index.analysis import warm

    warm()
