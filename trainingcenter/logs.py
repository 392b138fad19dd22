"""A request id in every log line, so that a 500 can be found from the user's report."""

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
