"""The audit log's lines: one shape, whoever writes them."""

import logging

from trainingcenter.logs import audit


def test_an_audit_line_is_the_event_then_its_fields_in_order(caplog):
    with caplog.at_level("INFO", logger="trainingcenter.audit"):
        audit("certificates issued", center=3, class_=7, count=4, user=2)
        audit("verification rate limit", level=logging.WARNING, client="10.0.0.1")
    lines = [(r.levelname, r.getMessage()) for r in caplog.records]
    assert lines == [
        ("INFO", "certificates issued center=3 class=7 count=4 user=2"),
        ("WARNING", "verification rate limit client=10.0.0.1"),
    ]


def test_a_request_warning_reaches_one_handler():
    """A 403 or a 404 is one log record on the console: Django's own
    console handler beside the root's printed each twice in development."""
    import logging

    logger, handlers = logging.getLogger("django.request"), []
    while logger is not None:
        handlers += logger.handlers
        logger = logger.parent if logger.propagate else None
    # The consoles: plain StreamHandlers (pytest's capture handlers are not).
    consoles = [h for h in handlers if type(h) is logging.StreamHandler]
    assert len(consoles) == 1
