from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from core.errors import DomainError
from regions import policy
from regions.models import Village
from regions.selectors import villages_visible_to


def visible_or_404(model: type[models.Model], obj_or_pk, actor, *, lock: bool = False):
    """Re-read a row through the visibility selector: out of region is 'not found'."""
    pk = getattr(obj_or_pk, "pk", obj_or_pk)
    qs = model.objects.visible_to(actor)
    if lock:
        qs = qs.select_for_update()
    try:
        return qs.get(pk=pk)
    except model.DoesNotExist:
        raise DomainError(
            _("%(what)s tidak ditemukan.") % {"what": model._meta.verbose_name.capitalize()},
            code=DomainError.NOT_FOUND,
        ) from None


def village_for(actor, village, *, field: str = "village") -> Village:
    """The village a new record goes to; refused when it lies outside the actor's region."""
    code = getattr(village, "pk", village)
    found = villages_visible_to(actor).filter(code=code, is_active=True).first()
    if found is None:
        raise DomainError(_("Desa/kelurahan tidak ditemukan atau di luar wilayah kerja Anda."), field=field)
    return found


def clean_and_save(obj: models.Model, *, actor, prefix: str = "", exclude: list[str] | None = None) -> None:
    """Validate with the model's own rules, then save, recording the actor in the history."""
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as error:
        raise DomainError.from_validation_error(error, prefix=prefix) from None
    save_as(obj, actor)


def save_as(obj: models.Model, actor, **kwargs) -> None:
    obj._history_user = actor  # simple-history's "who", also outside a request (API, tasks)
    obj.save(**kwargs)


def ensure_caseworker(actor, village_code: str | None = None) -> None:
    """Cadres record activities; case work belongs to village heads and officials."""
    policy.ensure_may_work_on_cases(actor, village_code)


def raise_collected(errors: list[DomainError]) -> None:
    """Raise all field errors at once: 409 when every one is a conflict, else 400."""
    if not errors:
        return
    merged: dict[str, list[str]] = {}
    for error in errors:
        for field, messages in error.errors.items():
            merged.setdefault(field, []).extend(messages)
    conflict = all(e.code == DomainError.CONFLICT for e in errors)
    raise DomainError(code=DomainError.CONFLICT if conflict else DomainError.INVALID, errors=merged)


def validated(obj: models.Model, *, prefix: str = "", exclude: list[str] | None = None) -> list[DomainError]:
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as error:
        return [DomainError.from_validation_error(error, prefix=prefix)]
    return []
