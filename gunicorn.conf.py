"""gunicorn's settings; gunicorn reads this file from the directory it starts in (`gunicorn wsgi:app`)."""

from portal.config import WORKER_TIMEOUT

# The web import's limit (IMPORT_MAX_RECORDS, portal/config.py) is set to finish well within it.
timeout = WORKER_TIMEOUT
