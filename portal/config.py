"""Settings from the environment, with embedded defaults (SQLite file and Whoosh index under instance/)."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

ENVIRONMENTS = ("development", "testing", "production")
# Seconds a gunicorn worker may spend on one request before it is killed (gunicorn.conf.py).
WORKER_TIMEOUT = int(os.environ.get("WORKER_TIMEOUT") or 30)
# gunicorn's own default for its number of workers (gunicorn.conf.py and --workers may say otherwise).
WEB_CONCURRENCY = int(os.environ.get("WEB_CONCURRENCY") or 1)


class ConfigError(RuntimeError):
    pass


def load_config(instance_path: str, overrides: dict | None = None) -> dict:
    """The application's settings: defaults, then the environment, then `overrides` (tests)."""
    overrides = overrides or {}
    env = environment(overrides)
    instance = Path(instance_path)
    redis_timeout = float(os.environ.get("RATELIMIT_TIMEOUT") or 0.5)
    config = {
        "PORTAL_ENV": env,
        "SQLALCHEMY_DATABASE_URI": database_url(
            os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'stemwijzer.sqlite3'}"
        ),
        # Connections are tested before use (a connection the server ended is replaced, not failed with) and
        # renewed after DATABASE_POOL_RECYCLE seconds; connecting gives up after DATABASE_CONNECT_TIMEOUT.
        "DATABASE_POOL_RECYCLE": int(os.environ.get("DATABASE_POOL_RECYCLE") or 1800),
        "DATABASE_CONNECT_TIMEOUT": int(os.environ.get("DATABASE_CONNECT_TIMEOUT") or 5),
        # Seconds a request may take (portal/request_budget.py), below gunicorn's WORKER_TIMEOUT so that the
        # visitor gets the portal's own answer, not gunicorn's; 0 switches the budget off.
        "REQUEST_TIME_BUDGET": float(os.environ.get("REQUEST_TIME_BUDGET") or max(1, WORKER_TIMEOUT - 5)),
        # Retry-After of the 503 answered while the database cannot be reached.
        "UNAVAILABLE_RETRY_AFTER": int(os.environ.get("UNAVAILABLE_RETRY_AFTER") or 30),
        # /readyz (portal/health.py) fails when the oldest change not yet in the search index waited longer than
        # INDEX_LAG_LIMIT seconds, or the oldest mail still being tried longer than MAIL_STUCK_AFTER.
        "INDEX_LAG_LIMIT": int(os.environ.get("INDEX_LAG_LIMIT") or 300),
        "MAIL_STUCK_AFTER": int(os.environ.get("MAIL_STUCK_AFTER") or 900),
        # Who may read /metrics (portal/metrics.py): clients in these networks (comma-separated, after
        # TRUSTED_PROXY_COUNT), or with "Authorization: Bearer <METRICS_TOKEN>".
        "METRICS_ALLOWED_NETWORKS": os.environ.get("METRICS_ALLOWED_NETWORKS") or "127.0.0.0/8,::1/128",
        "METRICS_TOKEN": os.environ.get("METRICS_TOKEN"),
        "SEARCH_INDEX_DIR": os.environ.get("SEARCH_INDEX_DIR") or str(instance / "search-index"),
        "SECRET_KEY": os.environ.get("SECRET_KEY"),
        "BABEL_DEFAULT_LOCALE": "nl",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Brussels",
        "SEARCH_PAGE_SIZE": 20,
        # How long `flask search prune-log` keeps listing changes: a node offline for longer rebuilds its index.
        "SEARCH_LOG_RETENTION_DAYS": int(os.environ.get("SEARCH_LOG_RETENTION_DAYS") or 14),
        # How a location's address becomes a point (portal/geocoding.py): "postcode" (offline, the postcode's
        # reference point) or "adresmatch" (the Flemish address register, at GEOCODER_URL).
        "GEOCODER": os.environ.get("GEOCODER") or "postcode",
        "GEOCODER_URL": os.environ.get("GEOCODER_URL") or "https://api.basisregisters.vlaanderen.be/v2/adresmatch",
        "GEOCODER_TIMEOUT": float(os.environ.get("GEOCODER_TIMEOUT") or 3),
        # The maps' base layer (portal/static/js/map.js): a tile service's URL template ({z}/{x}/{y}, {s} for its
        # subdomains) and the attribution its licence asks for; without one, the offline outline of the provinces
        # and municipalities (portal/static/map/outline.geojson). The CSP allows the service's origin
        # (portal/security.py).
        "MAP_TILE_URL": os.environ.get("MAP_TILE_URL") or None,
        "MAP_TILE_ATTRIBUTION": os.environ.get("MAP_TILE_ATTRIBUTION") or None,
        # The banner that says the catalogue is demo data; on wherever the demo catalogue is loaded.
        "SHOW_DEMO_NOTICE": env != "production",
        # In production the cookies carry the __Host- prefix: the browser sends them only over HTTPS, for this
        # host and every path, so neither a sibling subdomain nor plain HTTP can set or overwrite them.
        "SESSION_COOKIE_NAME": "__Host-session" if env == "production" else "session",
        "REMEMBER_COOKIE_NAME": "__Host-remember_token" if env == "production" else "remember_token",
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env == "production",
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": env == "production",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        # Records (organisations and listings together) a web import reads from one file (the CLI has no limit
        # unless --max-records): publishing this many takes about 9 s here (2 cores, SQLite; about 45 ms a
        # published listing, python -m bench.imports), well within WORKER_TIMEOUT.
        "IMPORT_MAX_RECORDS": int(os.environ.get("IMPORT_MAX_RECORDS") or 200),
        # Accounts: a login survives the browser for 30 days only with "onthoud mij"; the per-user session
        # token (portal/accounts/loader.py) ends every session and remember-me cookie of a user at once.
        "SESSION_PROTECTION": "basic",
        "REMEMBER_COOKIE_DURATION": 30 * 24 * 3600,
        # A session without "onthoud mij" ends after this long without a request, any session this long after
        # its login (portal/accounts/sessions.py).
        "SESSION_IDLE_MINUTES": int(os.environ.get("SESSION_IDLE_MINUTES") or 120),
        "SESSION_MAX_DAYS": int(os.environ.get("SESSION_MAX_DAYS") or 30),
        # Every absolute link (mails, sitemap, canonical, og:url, JSON-LD, API, feeds) starts with it; required in
        # production, so a forged Host header cannot point a reset link or a shared page elsewhere.
        "SITE_URL": os.environ.get("SITE_URL"),
        # Mail: SMTP when MAIL_SERVER is set, otherwise .eml files in MAIL_FILE_DIR (development).
        "MAIL_SERVER": os.environ.get("MAIL_SERVER"),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT") or 25),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME"),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD"),
        "MAIL_USE_TLS": _flag(os.environ.get("MAIL_USE_TLS")),
        "MAIL_USE_SSL": _flag(os.environ.get("MAIL_USE_SSL")),
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER") or "STEM-wijzer <noreply@stem-wijzer.example>",
        "MAIL_FILE_DIR": os.environ.get("MAIL_FILE_DIR") or str(instance / "mail"),
        # The mail worker (`flask mail work`, portal/mail/worker.py): seconds each SMTP step may take, mails per
        # claimed batch, seconds between passes, and hours a failing mail is retried before it is a dead letter.
        "MAIL_TIMEOUT": float(os.environ.get("MAIL_TIMEOUT") or 10),
        "MAIL_BATCH": int(os.environ.get("MAIL_BATCH") or 20),
        "MAIL_WORKER_INTERVAL": float(os.environ.get("MAIL_WORKER_INTERVAL") or 5),
        "MAIL_RETRY_HOURS": float(os.environ.get("MAIL_RETRY_HOURS") or 48),
        # Flask-Limiter: memory:// counts per process; production shares counters in Redis. While Redis is
        # unreachable the counters live in each process's memory (portal/limits.py); a short socket time-out
        # keeps a Redis that hangs from holding every login.
        "RATELIMIT_STORAGE_URI": _rate_limit_storage(),
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "RATELIMIT_STORAGE_OPTIONS": {"socket_connect_timeout": redis_timeout, "socket_timeout": redis_timeout},
        # Failed logins (portal/accounts/throttle.py): refused per account from one client address and per
        # client address; per account from anywhere only slowed down (up to LOGIN_DELAY_MAX seconds), and the
        # owner is mailed once the warning limit is reached.
        "LOGIN_LIMIT_PER_ACCOUNT": os.environ.get("LOGIN_LIMIT_PER_ACCOUNT") or "5 per 15 minutes",
        "LOGIN_LIMIT_PER_ADDRESS": os.environ.get("LOGIN_LIMIT_PER_ADDRESS") or "30 per 15 minutes",
        "LOGIN_WARNING_LIMIT": os.environ.get("LOGIN_WARNING_LIMIT") or "10 per hour",
        "LOGIN_DELAY_MAX": float(os.environ.get("LOGIN_DELAY_MAX") or 3),
        "MAIL_REQUEST_LIMIT": os.environ.get("MAIL_REQUEST_LIMIT") or "10 per hour",
        "REPORT_LIMIT": os.environ.get("REPORT_LIMIT") or "10 per hour",  # "meld een fout" posts per address
        # Invitations, join requests and e-mail address changes (mail to others) per account, together.
        "USER_MAIL_LIMIT": os.environ.get("USER_MAIL_LIMIT") or "20 per hour",
        # Invitations an organisation that no moderator verified yet sends in 24 hours (portal/organisations).
        "UNVERIFIED_INVITATIONS_PER_DAY": int(os.environ.get("UNVERIFIED_INVITATIONS_PER_DAY") or 5),
        # Writes through the API (create, update, submit a listing) per API key.
        "API_WRITE_LIMIT": os.environ.get("API_WRITE_LIMIT") or "60 per minute",
        # Reverse proxies in front of the portal whose X-Forwarded-For/-Proto to trust (0: none). Behind
        # nginx, 1: otherwise every visitor has the proxy's address and shares one failed-login limit.
        "TRUSTED_PROXY_COUNT": int(os.environ.get("TRUSTED_PROXY_COUNT") or 0),
        # Take the proxy's X-Request-ID (when well formed) as the request id instead of making one: only behind a
        # proxy that sets it itself, or any client could choose the ids in the security log.
        "TRUST_REQUEST_ID": _flag(os.environ.get("TRUST_REQUEST_ID")),
        # How long `flask security-log prune` keeps security events (portal/security_log/).
        "SECURITY_LOG_RETENTION_DAYS": int(os.environ.get("SECURITY_LOG_RETENTION_DAYS") or 365),
    }
    if env == "development" and not config["SECRET_KEY"]:
        config["SECRET_KEY"] = "development-only-not-secret"
    config.update(overrides)
    config["SQLALCHEMY_DATABASE_URI"] = database_url(config["SQLALCHEMY_DATABASE_URI"])
    config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", engine_options(config))
    if config["REQUEST_TIME_BUDGET"] >= WORKER_TIMEOUT:
        raise ConfigError(f"REQUEST_TIME_BUDGET ({config['REQUEST_TIME_BUDGET']} s) must be below gunicorn's "
                          f"WORKER_TIMEOUT ({WORKER_TIMEOUT} s)")
    if not config["SECRET_KEY"]:
        raise ConfigError("SECRET_KEY must be set outside development (PORTAL_ENV=development for local use)")
    site_url = config["SITE_URL"]
    if site_url and not site_url.startswith(("https://", "http://")):
        raise ConfigError(f"SITE_URL must start with https:// (or http://), not {site_url!r}")
    refuse_per_process_limits(env, config["RATELIMIT_STORAGE_URI"], WEB_CONCURRENCY)
    check_tile_service(config["MAP_TILE_URL"], config["MAP_TILE_ATTRIBUTION"])
    if env == "production" and not site_url:
        # Without it, links in mails follow the request's Host header, which a client can forge to point a
        # password-reset link at their own server.
        raise ConfigError("SITE_URL must be set in production, e.g. SITE_URL=https://stem-wijzer.be")
    return config


def environment(overrides: dict | None = None) -> str:
    env = (overrides or {}).get("PORTAL_ENV") or os.environ.get("PORTAL_ENV", "production")
    if env not in ENVIRONMENTS:
        raise ConfigError(f"PORTAL_ENV must be one of {', '.join(ENVIRONMENTS)}, not {env!r}")
    return env


def _rate_limit_storage() -> str:
    return os.environ.get("RATELIMIT_STORAGE_URI") or "memory://"


def check_workers(workers: int) -> None:
    """gunicorn's start (gunicorn.conf.py): its number of workers, however it was given, against the settings."""
    refuse_per_process_limits(environment(), _rate_limit_storage(), workers)


def refuse_per_process_limits(env: str, storage_uri: str, workers: int) -> None:
    """With several worker processes, per-process counters would let each one allow the full limit (and the
    login throttle's counts would depend on which worker answers): production needs the shared storage."""
    if env == "production" and workers > 1 and storage_uri.startswith("memory://"):
        raise ConfigError(f"{workers} workers with per-process rate limit counters (RATELIMIT_STORAGE_URI=memory://):"
                          " set RATELIMIT_STORAGE_URI=redis://... in production, or run one worker")


def check_tile_service(url: str | None, attribution: str | None) -> None:
    if not url:
        return
    host = urlsplit(url).netloc.removeprefix("{s}.")
    if not url.startswith(("https://", "http://")) or not host or "{" in host:
        raise ConfigError("MAP_TILE_URL must be an https:// (or http://) URL whose host is fixed (or starts with "
                          f"{{s}}.), not {url!r}")
    if not all(part in url for part in ("{z}", "{x}", "{y}")):
        raise ConfigError(f"MAP_TILE_URL must name the tile by {{z}}, {{x}} and {{y}}, not {url!r}")
    if not attribution:
        raise ConfigError("MAP_TILE_ATTRIBUTION must be set with MAP_TILE_URL: tile services require credit, "
                          "e.g. MAP_TILE_ATTRIBUTION='© OpenStreetMap-bijdragers'")


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def engine_options(config: dict) -> dict:
    options = {"pool_pre_ping": True, "pool_recycle": config["DATABASE_POOL_RECYCLE"]}
    if config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        options["connect_args"] = {"connect_timeout": config["DATABASE_CONNECT_TIMEOUT"]}
    return options


def database_url(url: str) -> str:
    """Use the psycopg 3 driver for plain postgres:// and postgresql:// URLs (psycopg2 is not installed)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
