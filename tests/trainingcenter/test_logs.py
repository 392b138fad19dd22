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
