"""`{{ person|nik:user }}` and `{{ household|kk:user }}`: a NIK or KK number as the user may
see it, decided by `beneficiaries.identity` (pages never print the raw fields)."""

from django import template

from beneficiaries.identity import shown_kk, shown_nik

register = template.Library()


@register.filter
def nik(person, user) -> str:
    return shown_nik(user, person)


@register.filter
def kk(household, user) -> str:
    return shown_kk(user, household)
