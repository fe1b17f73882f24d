"""OpenAPI: every operation documents its error responses next to its success."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

VALIDATION_ERROR = {
    "type": "object",
    "description": "Pesan kesalahan per kolom, dalam bahasa permintaan (Accept-Language; "
    "bawaan bahasa Indonesia). Kolom bertingkat memakai titik, misalnya `members.0.nik`; "
    "kesalahan yang bukan milik satu kolom ada di `non_field_errors`.",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
    "example": {"kk_number": ["Nomor KK ini sudah terdaftar."]},
}
DETAIL_ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
    "example": {"detail": "Data tidak ditemukan."},
}
ERRORS = {
    "400": ("ValidationError", VALIDATION_ERROR, "Masukan tidak valid; kolom yang salah disebut."),
    "401": ("ErrorDetail", DETAIL_ERROR, "Belum masuk atau token tidak valid."),
    "403": ("ErrorDetail", DETAIL_ERROR, "Peran Anda tidak boleh melakukan ini."),
    "404": (
        "ErrorDetail",
        DETAIL_ERROR,
        "Tidak ditemukan, atau di luar wilayah kerja Anda (keberadaannya tidak dibocorkan).",
    ),
    "409": (
        "ValidationError",
        VALIDATION_ERROR,
        "Ditolak aturan: syarat perpindahan yang belum terpenuhi (disebut namanya), usulan "
        "yang sudah diputuskan, atau NIK/KK yang sudah terdaftar.",
    ),
}


class ApiSchema(AutoSchema):
    def _error_codes(self) -> list[str]:
        codes = ["400", "401", "403", "404"]
        return codes + ["409"] if self.method in WRITE_METHODS else codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code in responses:
                continue
            name, schema, description = ERRORS[code]
            component = ResolvedComponent(name, ResolvedComponent.SCHEMA, schema=schema, object=name)
            self.registry.register_on_missing(component)
            responses[code] = {
                "description": description,
                "content": {"application/json": {"schema": component.ref}},
            }
        return responses
