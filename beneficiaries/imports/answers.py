"""Whether the import may say that a number is already registered.

"This NIK is already registered" and "this household is already there" confirm a guess: a
file of made-up NIKs with the serials 0001 to 9999 would rebuild every masked NIK a
regency official sees (and find people in regencies they cannot see at all) in one dry
run, where the forms allow ten such answers an hour. So the import answers under the same
limiter as the forms (`DUPLICATE_REFUSALS`): an answer about a row the actor may see whole
(`policy.may_see_full_identity`, a province official everywhere) is free; any other draws
one count. Once the budget is spent, no later household of the run is checked against the
database at all: each is refused with the limiter's message, whether its numbers exist or
not, so the refusal itself tells nothing.
"""

from django.utils.translation import gettext as _

from regions import policy
from regions.models import User

from ..services.common import DUPLICATE_REFUSALS


def limit_message() -> str:
    return _(
        "Terlalu banyak NIK, nomor KK atau NIB yang ditolak karena sudah terdaftar. Demi "
        "perlindungan data, nomor identitas baru tidak diperiksa sementara; coba lagi "
        "dalam 1 jam atau hubungi admin kabupaten/kota."
    )


class Answers:
    def __init__(self, actor: User) -> None:
        self.actor = actor
        self.free: dict[str, bool] = {}  # village code -> may see its numbers whole
        self.closed = DUPLICATE_REFUSALS.spent(actor)

    def may_tell(self, village: str) -> bool:
        """Whether the run may say that a number of a row in `village` exists; charges the
        budget when the actor may not see that row's numbers whole."""
        if village not in self.free:
            self.free[village] = policy.may_see_full_identity(self.actor, village)
        if self.free[village]:
            return True
        if self.closed or DUPLICATE_REFUSALS.spent(self.actor):
            self.closed = True
            return False
        DUPLICATE_REFUSALS.charge(self.actor)
        return True
