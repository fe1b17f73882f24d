"""The one exception services raise; the edges turn it into a form error, an admin
message, or an HTTP 400/403/404/409 with the field named."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


class DomainError(Exception):
    INVALID = "invalid"  # bad input: 400
    FORBIDDEN = "forbidden"  # the role may not do this: 403
    NOT_FOUND = "not_found"  # outside the user's region: 404, so existence does not leak
    CONFLICT = "conflict"  # a guard or a uniqueness rule refuses: 409
    RATE_LIMITED = "rate_limited"  # too many refusals of one kind lately: 429

    def __init__(
        self,
        message: str = "",
        *,
        field: str | None = None,
        code: str = INVALID,
        errors: dict[str, list[str]] | None = None,
    ) -> None:
        self.code = code
        self.errors = errors or {field or NON_FIELD_ERRORS: [str(message)]}
        self.field = field or next(iter(self.errors))
        self.message = str(message) or self.errors[self.field][0]
        super().__init__(self.message)

    @classmethod
    def from_validation_error(cls, error: ValidationError, *, prefix: str = "") -> "DomainError":
        if hasattr(error, "error_dict"):
            errors = {
                f"{prefix}{k}": [str(m) for m in ValidationError(v).messages]
                for k, v in error.error_dict.items()
            }
        else:
            errors = {prefix + NON_FIELD_ERRORS if prefix else NON_FIELD_ERRORS: error.messages}
        conflict = any(
            getattr(e, "code", None) == "unique"
            for errs in getattr(error, "error_dict", {}).values()
            for e in errs
        )
        return cls(code=cls.CONFLICT if conflict else cls.INVALID, errors=errors)

    def as_validation_error(self) -> ValidationError:
        return ValidationError({k: v for k, v in self.errors.items()})
