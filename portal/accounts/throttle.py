"""Failed-login throttling. Counters live in Flask-Limiter's storage (memory:// per process, Redis in
production, this process's memory while Redis is down: portal/limits.py); each attempt is counted BEFORE its
password is checked, so simultaneous attempts cannot slip past a limit together, and an attempt that turns out
right takes its counts back.

- Per account and client address (LOGIN_LIMIT_PER_ACCOUNT) and per client address (LOGIN_LIMIT_PER_ADDRESS):
  over the limit, the answer is 429 with Retry-After, whatever the password.
- Per account from anywhere (LOGIN_WARNING_LIMIT): never refused, or anyone who knows an address could keep
  its owner out. Instead the answer waits longer with every recent failure (at most LOGIN_DELAY_MAX seconds),
  and the failure that reaches the limit mails the owner: once per window, as the count passes it once."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from time import sleep, time

from flask import current_app
from flask_limiter.util import get_remote_address
from limits import parse
from werkzeug.exceptions import TooManyRequests

from portal.accounts.services import normalise_email
from portal.database import begin_write
from portal.extensions import db
from portal.limits import count, counters

FREE_FAILURES = 3  # typos: no wait for the first failures on an account
FIRST_DELAY = 0.2  # seconds, doubling with every further failure


@dataclass
class Attempt:
    """The counts one login attempt made; `failures` includes this attempt."""

    counted: list[tuple[str, int]] = field(default_factory=list)  # (key, window in seconds)
    failures: int = 0

    @property
    def warns_owner(self) -> bool:
        return self.failures == parse(current_app.config["LOGIN_WARNING_LIMIT"]).amount

    def take_back(self) -> None:
        """The password was right (or the attempt was refused unchecked): it does not count."""
        for key, window in self.counted:
            count(key, window, amount=-1)
        self.counted.clear()


def _key(*parts: str) -> str:
    return "/".join((current_app.config.get("RATELIMIT_KEY_PREFIX", ""), "login", *parts))


def _count(attempt: Attempt, key: str, setting: str) -> tuple[int, int]:
    """This attempt's count under `key`, and the limit `setting` puts on it."""
    limit = parse(current_app.config[setting])
    attempt.counted.append((key, limit.get_expiry()))
    return count(key, limit.get_expiry()), limit.amount


def delay_after(failures: int) -> float:
    """Seconds a login waits when its account had `failures` recent failed attempts."""
    if failures < FREE_FAILURES:
        return 0.0
    return min(float(current_app.config["LOGIN_DELAY_MAX"]), FIRST_DELAY * 2 ** (failures - FREE_FAILURES))


def _wait(seconds: float) -> None:
    # The write lock (or transaction) this POST took (portal/__init__.py) is not held while the answer waits;
    # nothing has been read or written yet.
    db.session.rollback()
    sleep(seconds)
    begin_write(db.session)


def count_attempt(email: str) -> Attempt:
    """Count a login attempt for `email` before its password is checked: raises 429 when this client is over
    a limit, and waits as long as the account's recent failures ask."""
    attempt = Attempt()
    email, address = normalise_email(email), get_remote_address()
    for key, setting in ((_key("account-address", email, address), "LOGIN_LIMIT_PER_ACCOUNT"),
                         (_key("address", address), "LOGIN_LIMIT_PER_ADDRESS")):
        count, limit = _count(attempt, key, setting)
        if count > limit:
            attempt.take_back()
            current_app.logger.warning("login refused unchecked: %s over %s", setting, current_app.config[setting])
            raise TooManyRequests(retry_after=max(1, math.ceil(counters().get_expiry(key) - time())))
    attempt.failures, _limit = _count(attempt, _key("account", email), "LOGIN_WARNING_LIMIT")
    if seconds := delay_after(attempt.failures - 1):
        _wait(seconds)
    return attempt
