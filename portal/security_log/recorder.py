"""`record(event, actor, ...)`: what services call to write a security event.

Each event is a row in `security_events`, added to the session of the action it describes, so it commits or
rolls back with that action (a change that did not happen is not logged as done); and, once that transaction
has committed, a JSON line on the `stemwijzer.security` logger. Refusals that end a request without any commit
(403, 404, 429: see `record_refusal`) are written in a transaction of their own."""

from __future__ import annotations

import json
import logging
import re

from flask import Flask, has_request_context, request
from flask_login import current_user
from sqlalchemy import event as orm_event
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from portal.database import utcnow
from portal.extensions import db
from portal.security_log import events
from portal.security_log.masking import clean_details, email_hash, mask_email
from portal.security_log.models import SecurityEvent
from portal.security_log.request_id import request_id

logger = logging.getLogger("stemwijzer.security")
_WAITING = "security_log_lines"  # session.info: (row, line) pairs written in the open transaction
USER_AGENT_LENGTH = 200
# Target types by model: the API key's model is called ApiToken in the code, but "API key" everywhere else.
_TARGET_NAMES = {"ApiToken": "api_key", "ListingRevision": "revision", "ListingReport": "report",
                 "CharterSignature": "charter"}


def _target_type(target) -> str:
    name = type(target).__name__
    return _TARGET_NAMES.get(name) or re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def client_address() -> str | None:
    """The client's address (behind TRUSTED_PROXY_COUNT proxies, the one they report)."""
    return request.remote_addr if has_request_context() else None


def record(event: str, actor=None, *, outcome: str = events.SUCCESS, target=None, email: str | None = None,
           **details) -> SecurityEvent:
    """Write `event` by `actor` (a user, or None) on `target` (a model instance) in the current transaction.
    `email` is the address the event concerns where no user stands for it (a failed login, a reset request,
    an invitation): only its masked form and keyed hash are kept. `details` are plain values; secrets are
    dropped by name and addresses in them masked (portal/security_log/masking.py)."""
    if event not in events.LABELS:
        raise ValueError(f"unknown security event {event!r}: add it to portal/security_log/events.py")
    if target is not None and target.id is None:
        db.session.flush()  # a new key, invitation...: its id is what the event is about
    if email:
        details["email"] = mask_email(email)
    agent = request.user_agent.string[:USER_AGENT_LENGTH] if has_request_context() else ""
    row = SecurityEvent(
        at=utcnow(), event=event, outcome=outcome,
        actor_id=getattr(actor, "id", None),  # None for nobody, and for Flask-Login's anonymous user
        target_type=_target_type(target) if target is not None else None,
        target_id=target.id if target is not None else None,
        client_address=client_address(), request_id=request_id(),
        user_agent=agent or None,
        email_hash=email_hash(email), details=clean_details(details),
    )
    db.session.add(row)
    db.session.info.setdefault(_WAITING, []).append((row, _line(row)))
    return row


def _line(row: SecurityEvent) -> str:
    return json.dumps({
        "time": row.at.isoformat(), "event": row.event, "outcome": row.outcome, "actor_id": row.actor_id,
        "target_type": row.target_type, "target_id": row.target_id, "client_address": row.client_address,
        "request_id": row.request_id, "user_agent": row.user_agent, "email_hash": row.email_hash,
        "details": row.details,
    }, ensure_ascii=False, sort_keys=True)


def seen_from(event: str, target, address: str | None) -> bool:
    """Whether `event` was already recorded for `target` from client `address`."""
    return db.session.scalar(select(SecurityEvent.id).where(
        SecurityEvent.event == event, SecurityEvent.target_type == _target_type(target),
        SecurityEvent.target_id == target.id, SecurityEvent.client_address == address).limit(1)) is not None


def record_refusal(status: int, actor=None) -> None:
    """An error handler's record of a request refused with `status`: a 429 from anyone, a 403 to a signed-in
    user, and a 404 to a signed-in user on an existing route (how the policy answers "not yours" without telling
    that it exists; a mistyped address matches no route and is no refusal). The actor is the signed-in user, or
    `actor` (the maker of the API key a write API request came with). Such a request commits nothing, so the
    event gets a transaction of its own, after the request's own was rolled back."""
    from portal.transactions import unit_of_work  # portal.transactions imports the forms, which import policy

    actor = actor or (current_user if current_user.is_authenticated else None)
    signed_in = actor is not None
    routed = request.url_rule is not None and request.endpoint != "static"
    if not (status == 429 or (signed_in and (status == 403 or (status == 404 and routed)))):
        return
    # The route's pattern, not the path: a path may hold a one-time token (/account/bevestigen/<token>).
    route = request.url_rule.rule if request.url_rule is not None else None
    db.session.rollback()
    try:
        with unit_of_work(write_lock=True):
            record(events.THROTTLED if status == 429 else events.ACCESS_DENIED, actor, outcome=events.DENIED,
                   email=request.form.get("email") if status == 429 else None,
                   status=status, method=request.method, route=route)
    except Exception:  # the answer is the refusal all the same
        logging.getLogger(__name__).exception("security event of a %s refusal not recorded", status)


@orm_event.listens_for(Session, "after_commit")
def _log_after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint was released; the outer transaction may still roll back
    for row, line in session.info.pop(_WAITING, ()):
        if inspect(row).persistent:  # not when a savepoint it was written in rolled back
            logger.info(line)


@orm_event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    if not session.in_nested_transaction():
        session.info.pop(_WAITING, None)


def init_app(app: Flask) -> None:
    """Without a handler of its own configured (logging config, gunicorn --log-config), the lines go to stderr,
    one JSON object a line."""
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)
