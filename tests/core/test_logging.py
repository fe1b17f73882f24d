"""No NIK, KK or name reaches a log line: the filter on every handler rewrites messages
and tracebacks."""

import io
import logging

import pytest
from django.conf import settings

from core.logging import RedactPersonalData, redact

NIK = "3601014405800001"


def test_it_redacts_sixteen_digit_runs_and_personal_fields():
    line = redact(
        f'DETAIL: Key (nik)=({NIK}) already exists. full_name="Siti Aminah" '
        f"GET /rumah-tangga/?q=Siti+Aminah&page=2 nama: Budi kk_number={NIK[:15]}9"
    )
    assert NIK not in line and "Siti" not in line and "Budi" not in line and NIK[:15] not in line
    assert "page=2" in line


def test_it_keeps_other_numbers():
    assert redact("36.01.01.2001 has 123 households, id 4567") == "36.01.01.2001 has 123 households, id 4567"


def test_every_configured_handler_has_the_filter():
    """Django's own handlers are replaced in LOGGING so each passes the filter too."""
    for name, handler in settings.LOGGING["handlers"].items():
        assert "personal_data" in handler.get("filters", []), name
    for handler in logging.getLogger().handlers + logging.getLogger("django").handlers:
        if not type(handler).__module__.startswith("_pytest"):
            assert any(isinstance(f, RedactPersonalData) for f in handler.filters), handler


@pytest.fixture
def console():
    """What the configured console handler (root and `django`) writes."""
    handler = next(
        h
        for h in logging.getLogger("django").handlers
        if any(isinstance(f, RedactPersonalData) for f in h.filters) and isinstance(h, logging.StreamHandler)
    )
    stream = io.StringIO()
    old = handler.setStream(stream)
    yield stream
    handler.setStream(old)


def test_a_500_with_a_nik_in_the_request_logs_no_nik_nor_name(client, head_a, console, monkeypatch):
    """A view that fails with the NIK and the name in its exception: the log line of the
    500 (django.request, with the traceback) holds neither."""
    from beneficiaries import services

    def boom(**kwargs):
        member = kwargs["members"][0]
        raise RuntimeError(f"boom nik={member['nik']} full_name='{member['full_name']}' {member['nik']}")

    monkeypatch.setattr(services, "register_household", boom)
    client.raise_request_exception = False
    client.force_login(head_a)
    data = {
        "village": "36.01.01.2001", "kk_number": "3601012001000099", "address": "Kp. Duku", "rt": "1", "rw": "2",
        "members-TOTAL_FORMS": "1", "members-INITIAL_FORMS": "0", "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "30", "members-0-full_name": "Siti Aminah", "members-0-nik": NIK,
        "members-0-sex": "P", "members-0-birth_date": "1980-05-04", "members-0-relation": "head",
    }  # fmt: skip
    response = client.post("/rumah-tangga/baru/", data)
    assert response.status_code == 500
    written = console.getvalue()
    assert "Internal Server Error" in written and "RuntimeError" in written
    assert NIK not in written and "Siti" not in written
