"""Searches by name in the admin's autocomplete and the attendance picker travel in query
strings (select2 asks by GET): no access or application log line may keep them."""

import logging
import runpy
from pathlib import Path

from core.logging import REDACTED, RedactPersonalData

GUNICORN_CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def test_the_access_log_keeps_the_path_and_never_the_query_string_or_referer():
    """Gunicorn logs `%(U)s` (the path alone): not the request line `%(r)s`, the query
    `%(q)s` nor the Referer `%(f)s`, whose URL holds the previous page's query."""
    access_format = runpy.run_path(str(GUNICORN_CONF))["access_log_format"]
    assert "%(U)s" in access_format
    for atom in ("%(r)s", "%(q)s", "%(f)s", "%({raw_uri}e)s"):
        assert atom not in access_format


def redacted(line: str) -> str:
    record = logging.LogRecord("django.server", logging.INFO, __file__, 1, line, None, None)
    RedactPersonalData().filter(record)
    return record.getMessage()


def test_it_redacts_the_autocomplete_term_and_the_attendance_filter_in_log_lines():
    """A request line of the admin's autocomplete (`term=`) or of the attendance picker
    (`cari=`), as runserver or an error report logs it, loses the name and the NIK."""
    lines = [
        '"GET /admin/autocomplete/?app_label=beneficiaries&model_name=assistance&field_name=recipient'
        '&term=Siti%20Aminah HTTP/1.1" 200 112',
        '"GET /admin/autocomplete/?term=3601011203850001&app_label=beneficiaries HTTP/1.1" 200 40',
        '"GET /kegiatan/7/?cari=Budi+Santoso HTTP/1.1" 200 5120',
    ]
    for line in lines:
        out = redacted(line)
        assert "Siti" not in out and "Aminah" not in out and "Budi" not in out
        assert "3601011203850001" not in out
        assert REDACTED in out
