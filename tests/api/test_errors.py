"""The error shapes: every 400/409 is `{field: [messages]}`, every other refusal `{detail}`."""

from django.db import IntegrityError
from rest_framework.exceptions import ParseError, ValidationError

from api.errors import api_exception_handler, flatten
from core.errors import DomainError


def test_nested_errors_are_flattened_to_dotted_fields():
    detail = {
        "members": [{}, {"nik": ["NIK wajib diisi."]}],
        "__all__": ["Bentrok."],
        "attendees": {0: ["x"]},
    }
    assert flatten(detail) == {
        "members.1.nik": ["NIK wajib diisi."],
        "non_field_errors": ["Bentrok."],
        "attendees.0": ["x"],
    }
    assert flatten(["Salah."]) == {"non_field_errors": ["Salah."]}


def test_domain_errors_map_to_their_status_and_shape():
    conflict = api_exception_handler(DomainError("Sudah ada.", field="nik", code=DomainError.CONFLICT), {})
    assert (conflict.status_code, conflict.data) == (409, {"nik": ["Sudah ada."]})
    missing = api_exception_handler(DomainError("Kasus tidak ditemukan.", code=DomainError.NOT_FOUND), {})
    assert (missing.status_code, missing.data) == (404, {"detail": "Kasus tidak ditemukan."})
    refused = api_exception_handler(DomainError("Tidak boleh.", code=DomainError.FORBIDDEN), {})
    assert (refused.status_code, refused.data) == (403, {"detail": "Tidak boleh."})
    invalid = api_exception_handler(DomainError("Tanggal salah.", field="held_on"), {})
    assert (invalid.status_code, invalid.data) == (400, {"held_on": ["Tanggal salah."]})


def test_a_database_race_is_a_conflict_not_a_server_error():
    response = api_exception_handler(IntegrityError("duplicate key"), {})
    assert response.status_code == 409
    assert list(response.data) == ["non_field_errors"]
    assert "duplicate key" not in str(response.data)


def test_unparseable_json_is_a_field_error_shape():
    response = api_exception_handler(ParseError("JSON parse error"), {})
    assert (response.status_code, response.data) == (400, {"non_field_errors": ["JSON parse error"]})
    response = api_exception_handler(ValidationError({"rt": ["Wajib."]}), {})
    assert response.data == {"rt": ["Wajib."]}
