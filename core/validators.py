"""Input rules every app shares."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# Bidi embeddings/overrides (U+202A-U+202E), isolates (U+2066-U+2069) and marks (U+200E/F):
# invisible, they make "Siti‮ahmA" read as another name on screen and in a spreadsheet.
BIDI_FORMATTING = frozenset(
    [chr(c) for c in range(0x202A, 0x202F)] + [chr(c) for c in range(0x2066, 0x206A)] + ["\u200e", "\u200f"]
)
ALLOWED_CONTROLS = frozenset("\t\n\r")


def forbidden_characters(value: str) -> list[str]:
    """The control and bidi formatting characters in `value`, as U+XXXX."""
    found = [
        ch
        for ch in value
        if ch in BIDI_FORMATTING or (unicodedata.category(ch) == "Cc" and ch not in ALLOWED_CONTROLS)
    ]
    return sorted({f"U+{ord(ch):04X}" for ch in found})


@deconstructible
class PlainTextValidator:
    """Names, addresses and free text: refused when they hold control characters (other
    than tab and newline) or bidi formatting characters, with the characters named.
    `<script>`, quotes and `=`/`+`/`-`/`@` are text like any other: stored as typed and
    escaped (pages, admin, email) or neutralised (spreadsheet cells) where shown."""

    code = "control_character"

    def __call__(self, value) -> None:
        if not isinstance(value, str):
            return
        found = forbidden_characters(value)
        if found:
            raise ValidationError(
                _(
                    "Tidak boleh memuat karakter kontrol atau pengatur arah teks yang tak terlihat "
                    "(%(chars)s). Ketik ulang isian ini tanpa menyalinnya."
                ),
                code=self.code,
                params={"chars": ", ".join(found)},
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, PlainTextValidator)


validate_plain_text = PlainTextValidator()
