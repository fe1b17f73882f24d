"""Templates ask regions.policy what to show, never raw permissions:
`{% load policy %}{% if user|may_decide_moves:move.village_id %}`."""

from django import template

from regions import policy

register = template.Library()


@register.filter
def may_decide_moves(user, village_code: str | None = None) -> bool:
    """Approve/reject buttons: in this village, or (no argument) anywhere at all."""
    return policy.may_decide_moves(user, village_code or None)


@register.filter
def may_record_growth(user, village_code: str | None = None) -> bool:
    """The posyandu session link and row forms: in this village, or (no argument) anywhere."""
    return policy.may_record_growth(user, village_code or None)
