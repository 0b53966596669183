"""gunicorn's settings; gunicorn reads this file from the directory it starts in (`gunicorn wsgi:app`)."""

from portal.config import WORKER_TIMEOUT, check_workers

# The web import's limit (IMPORT_MAX_RECORDS, portal/config.py) and every request's time budget
# (REQUEST_TIME_BUDGET) are set to finish well within it.
timeout = WORKER_TIMEOUT


def on_starting(server):
    """Production refuses several workers with per-process rate limits (--workers included, which the
    application's own configuration does not see)."""
    check_workers(server.cfg.workers)


def child_exit(_server, worker):
    """A worker that ended leaves its live gauges out of the sums (prometheus_client's multi-process mode)."""
    import os

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


def post_worker_init(worker):
    """Load the search's Dutch language data (a few seconds) before a worker's first request, not during it."""
    from search_index.analysis import warm

    warm()
