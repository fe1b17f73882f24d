"""The monthly growth sign the posyandu writes on the KMS card, and 2T.

N: weight up since last month's weighing; T: not up (same or less); B: the first
weighing ever (baru); O: not weighed last month, so there is nothing to compare.
The sign compares weights only: whether a gain reaches the Kemenkes minimum increment
(kenaikan berat badan minimal) is not judged here.
"""

from collections.abc import Sequence

from django.db import models
from django.utils.translation import gettext_lazy as _

from beneficiaries.growth.who import Number, as_decimal


class GrowthSign(models.TextChoices):
    UP = "N", _("naik")
    NOT_UP = "T", _("tidak naik")
    FIRST = "B", _("baru pertama kali ditimbang")
    NOT_WEIGHED_LAST_MONTH = "O", _("bulan lalu tidak ditimbang")


def growth_sign(
    *,
    weight_now: Number,
    weight_last_month: Number | None,
    first: bool = False,
) -> GrowthSign:
    """The sign of this month's weighing.

    `first`: the child has never been weighed before (B, whatever else is given);
    `weight_last_month`: the weight of last calendar month's weighing, None when the child
    was not weighed last month (O). Otherwise N when the weight went up, T when it did not.
    """
    if first:
        return GrowthSign.FIRST
    if weight_last_month is None:
        return GrowthSign.NOT_WEIGHED_LAST_MONTH
    # as written: a float 7.1 and a Decimal 7.1 are the same weight
    up = as_decimal(weight_now) > as_decimal(weight_last_month)
    return GrowthSign.UP if up else GrowthSign.NOT_UP


def two_t(signs: Sequence[str]) -> bool:
    """2T: the two latest monthly signs (oldest first, one a month, O for a month without
    weighing) are both T, so the child goes on the attention list."""
    return len(signs) >= 2 and signs[-1] == signs[-2] == GrowthSign.NOT_UP
