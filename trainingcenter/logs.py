"""A request id in every log line, so that a 500 can be found from the user's report;
and the audit log's one way of writing a line."""

import contextvars
import logging
import uuid

_request_id = contextvars.ContextVar("request_id", default="-")


class RequestIdMiddleware:
    """Give every request an id, sent back as X-Request-ID and written in the logs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = uuid.uuid4().hex[:12]
        token = _request_id.set(request.id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request.id
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = _request_id.get()
        return True


_default_factory = logging.getLogRecordFactory()


def _record_with_request_id(*args, **kwargs):
    record = _default_factory(*args, **kwargs)
    record.request_id = _request_id.get()
    return record


# Every record carries the id, whichever handler (or test) receives it.
logging.setLogRecordFactory(_record_with_request_id)


_audit = logging.getLogger("trainingcenter.audit")


def audit(event: str, *, level: int = logging.INFO, **fields) -> None:
    """One line of the audit log: `event`, then `name=value` for each field in
    the order given ("certificates issued center=3 class=7 user=2"; a trailing
    underscore lets a field be called `class_`). Who did what to which
    records is found by these lines, so every user action on personal data
    or on a certificate writes one."""
    names = "".join(f" {name.rstrip('_')}=%s" for name in fields)
    _audit.log(level, event + names, *fields.values())
