"""Whether the import may say that a number is already registered.

"This NIK is already registered" and "this household is already there" confirm a guess: a
file of made-up NIKs with the serials 0001 to 9999 would rebuild every masked NIK a
regency official sees (and find people in regencies they cannot see at all) in one dry
run, where the forms allow ten such answers an hour. So the import answers under the same
limiter as the forms (`DUPLICATE_REFUSALS`): an answer about a row the actor may see whole
(`policy.may_see_full_identity`; a province official everywhere), or about a row the actor
registered themselves (they had its numbers whole when they did: re-importing one's own file
tells nothing), is free; any other draws one count. From the answer that spends the budget on, no later household of the run is
checked against the database at all: each is refused with the limiter's message, whether
its numbers exist or not, so the refusal itself tells nothing.
"""

from django.utils.translation import gettext as _

from regions import policy
from regions.models import User

from ..identity import BANTEN
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
        # Who sees every number of the province whole learns nothing from an answer.
        self.unlimited = policy.may_see_full_identity(actor, BANTEN)
        self.free: dict[str, bool] = {}  # village code -> the actor sees its numbers whole
        self.closed = False
        self.recheck()

    def recheck(self) -> None:
        """Closed once the budget is spent (by this run or by the forms meanwhile)."""
        if not self.unlimited and not self.closed:
            self.closed = DUPLICATE_REFUSALS.spent(self.actor)

    def tell(self, village: str, registered_by: int | None) -> None:
        """The run says that a number of a row in `village`, registered by the user
        `registered_by`, exists: one count unless the actor sees that row's numbers whole or
        registered it. The answer that spends the budget closes it."""
        if self.unlimited or registered_by == self.actor.pk:
            return
        if village not in self.free:
            self.free[village] = policy.may_see_full_identity(self.actor, village)
        if not self.free[village]:
            DUPLICATE_REFUSALS.charge(self.actor)
            self.recheck()
