"""One validator for names and free text: control and bidi formatting characters are
refused, with the characters named; markup, quotes and formula prefixes are plain text."""

import pytest
from django.core.exceptions import ValidationError

from core.validators import validate_plain_text


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Siti\u202eahmA", "U+202E"),
        ("Budi\u202a", "U+202A"),
        ("\u2066Ani\u2069", "U+2066, U+2069"),
        ("Rina\u200f", "U+200F"),
        ("Dedi\u200e", "U+200E"),
        ("Nur\x00", "U+0000"),
        ("Nur\x07", "U+0007"),
        ("Joko\x1b[31m", "U+001B"),
        ("Ika\x7f", "U+007F"),
    ],
)
def test_it_refuses_control_and_bidi_characters(text, named):
    with pytest.raises(ValidationError) as caught:
        validate_plain_text(text)
    assert named in caught.value.messages[0]


@pytest.mark.parametrize(
    "text",
    ["Siti Aminah", "<script>alert(1)</script>", "O'Neil \"Jr\"", "=1+2", "+62", "-5", "@SUM(A1)",
     "Catatan\nbaris dua\tdengan tab", "Ñoño Ütama", "محمد"],
)  # fmt: skip
def test_it_accepts_plain_text_as_typed(text):
    validate_plain_text(text)
