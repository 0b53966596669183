"""The security event log (ASVS V16): `record` for the services, the request id, and the admins' page."""

from portal.security_log import events
from portal.security_log.recorder import client_address, record, record_refusal, seen_from

__all__ = ["client_address", "events", "record", "record_refusal", "seen_from"]
