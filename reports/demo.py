"""The demo's report recipients: the governor and the regent or mayor of every regency.

`manage.py seed_demo` lives below this app, so it sends `demo_seeded` and this receiver
(connected in apps.py) adds the recipients through the service, as the province's demo
official. Invented names and example.org addresses: the demo never mails a real office.
"""

from beneficiaries.demo import demo_seeded

from . import tallies
from .models import ReportRecipient, VillageMonth
from .services import save_recipient

# region, title, name, email
RECIPIENTS = [
    ("36", "Gubernur Banten", "H. Rahmat Suryana", "gubernur@banten.example.org"),
    ("36.01", "Bupati Pandeglang", "Hj. Euis Komalasari", "bupati@pandeglang.example.org"),
    ("36.02", "Bupati Lebak", "H. Dadang Mulyana", "bupati@lebak.example.org"),
    ("36.03", "Bupati Tangerang", "H. Iwan Setiawan", "bupati@tangerangkab.example.org"),
    ("36.04", "Bupati Serang", "Hj. Nenden Rahayu", "bupati@serangkab.example.org"),
    ("36.71", "Wali Kota Tangerang", "H. Budi Kurniawan", "walikota@tangerangkota.example.org"),
    ("36.72", "Wali Kota Cilegon", "H. Agus Permana", "walikota@cilegon.example.org"),
    ("36.73", "Wali Kota Serang", "H. Maman Sulaeman", "walikota@serangkota.example.org"),
    ("36.74", "Wali Kota Tangerang Selatan", "Hj. Siti Nurhasanah", "walikota@tangselkota.example.org"),
]
ACTOR = "provinsi"  # the demo's provincial official, who manages every report's recipients


def seed_recipients(sender, *, users: dict, **kwargs) -> dict[str, tuple[int, int]]:
    """Add the recipients not there yet (by region and email); returns (rows now, rows added)."""
    existing = set(ReportRecipient.objects.values_list("region_code", "email"))
    added = 0
    for region_code, title, name, email in RECIPIENTS:
        if (region_code, email) not in existing:
            save_recipient(actor=users[ACTOR], region_code=region_code, title=title, name=name, email=email)
            added += 1
    name = str(ReportRecipient._meta.verbose_name_plural)
    return {name: (ReportRecipient.objects.count(), added)}


def refresh_tallies(sender, **kwargs) -> dict[str, tuple[int, int]]:
    """The demo backdates its moves and aid with plain UPDATEs (no save()): rebuild the
    report's tallies from the rows afterwards."""
    before = VillageMonth.objects.count()
    rows = tallies.refresh()
    return {str(VillageMonth._meta.verbose_name_plural): (rows, rows - before)}


def connect() -> None:
    demo_seeded.connect(seed_recipients, dispatch_uid="reports.demo.seed_recipients")
    demo_seeded.connect(refresh_tallies, dispatch_uid="reports.demo.refresh_tallies")
