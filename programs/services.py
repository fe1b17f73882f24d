"""Writes of programmes and partners, each with the acting official and the policy's answer:
province-wide programmes are the province's; a partner is set up only for a region inside
the official's own."""

from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from regions import policy
from regions.models import User

from .models import Partner, Program

PROGRAM_FIELDS = frozenset(
    {"name", "agency", "description", "starts_on", "ends_on", "targets_women", "requires_running_business"}
)
PARTNER_FIELDS = frozenset({"name", "kind", "region_code", "contact", "is_active"})


def _assign(obj: models.Model, fields: dict, allowed: frozenset[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise DomainError(_("Isian tidak dikenal: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    for name, value in fields.items():
        setattr(obj, name, value)


def _clean_and_save(obj: models.Model) -> None:
    try:
        obj.full_clean()
    except ValidationError as error:
        raise DomainError.from_validation_error(error) from None
    obj.save()


M = TypeVar("M", Program, Partner)


def _stored(model: type[M], obj: M | None) -> M | None:
    """The row as stored, locked (a form may already have changed the instance in memory)."""
    if obj is None or obj.pk is None:
        return None
    return model._default_manager.select_for_update().get(pk=obj.pk)


@transaction.atomic
def save_program(*, actor: User, program: Program | None = None, **fields) -> Program:
    """Create a programme (`program` None) or change the given fields of one."""
    stored = _stored(Program, program)
    policy.ensure_may_edit_program(actor, stored)
    saved = stored or Program()
    _assign(saved, fields, PROGRAM_FIELDS)
    _clean_and_save(saved)
    return saved


@transaction.atomic
def save_partner(*, actor: User, partner: Partner | None = None, **fields) -> Partner:
    """Create a partner (`partner` None) or change one; both its region before and after the
    change must lie inside the official's own."""
    stored = _stored(Partner, partner)
    region_code = fields.get("region_code", stored.region_code if stored else "")
    policy.ensure_may_save_partner(actor, region_code, stored)
    saved = stored or Partner()
    _assign(saved, fields, PARTNER_FIELDS)
    _clean_and_save(saved)
    return saved
