"""No NIK, KK or name in a log line (UU 27/2022): one filter on every handler.

It redacts any run of 16 digits (a NIK or a KK, wherever it appears: an IntegrityError's
`Key (nik)=(...)`, a query string, an exception message) and the values of the fields and
parameters known to hold personal data. It works on the formatted message and on the
traceback, so a handler (or a formatter) never sees the originals.
"""

import logging
import re

REDACTED = "[disamarkan]"
SIXTEEN_DIGITS = re.compile(r"(?<!\d)\d{16}(?!\d)")
PERSONAL_KEYS = r"nik|kk|kk_number|no_kk|full_name|nama|name|address|alamat|left_note|q|search|term|cari"
# `nik=...`, `"full_name": "..."`, `?q=...&`: the key, then a quoted value or one up to a separator.
KEYED_VALUE = re.compile(
    rf"""(?ix)
    (?P<key>\b(?:{PERSONAL_KEYS})\b['"]?\s*[=:]\s*)
    (?:(?P<quote>['"])(?P<quoted>.*?)(?P=quote)|(?P<bare>[^\s&,;)'"]+))
    """
)
# PostgreSQL's `Key (full_name)=(Siti Aminah)`: the value in parentheses.
DATABASE_KEY = re.compile(rf"(?i)(\((?:[\w, ]*\b(?:{PERSONAL_KEYS})\b[\w, ]*)\)=\()[^)]*(\))")


def _keyed(match: re.Match) -> str:
    if match.group("quote"):
        return f"{match.group('key')}{match.group('quote')}{REDACTED}{match.group('quote')}"
    return f"{match.group('key')}{REDACTED}"


def redact(text: str) -> str:
    text = DATABASE_KEY.sub(rf"\1{REDACTED}\2", text)
    text = KEYED_VALUE.sub(_keyed, text)
    return SIXTEEN_DIGITS.sub(REDACTED, text)


class RedactPersonalData(logging.Filter):
    """Rewrites the record in place (message, arguments and traceback) and lets it pass."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken %-format: log what we have, still redacted
            message = str(record.msg)
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
