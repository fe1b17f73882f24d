"""Loading the Kemendagri region list: the bundled Banten list, reloads and newer lists."""

import hashlib

import pytest
from django.core.management import CommandError, call_command

from regions.loader import BUNDLED_LIST, RegionListError, load_region_list
from regions.models import District, Regency, RegionListLoad, Village
from tests.factories import HouseholdFactory, PartnerFactory, UserFactory

RENAMED = "36.01.01.2005"  # Cigorondong
RETIRED = "36.01.01.2007"  # Ujungjaya: has a household in these tests
DELETED = "36.01.01.2006"  # Tamanjaya: no data
ADDED = "36.01.01.2008"
NORTH = {"36.03", "36.71", "36.74"}


def bundled() -> str:
    return BUNDLED_LIST.read_text(encoding="utf-8")


def newer_list(*, drop=(RETIRED, DELETED), rename=None, add=None) -> str:
    """The bundled list with villages dropped, renamed or added, as a newer decree would be."""
    rename = {RENAMED: "Cigorondong Baru"} if rename is None else rename
    add = {ADDED: "Sumur Pesisir"} if add is None else add
    lines = []
    for line in bundled().splitlines():
        code = line.split(",", 1)[0]
        if code in drop:
            continue
        lines.append(f"{code},{rename[code]}" if code in rename else line)
    lines += [f"{code},{name}" for code, name in add.items()]
    return "\n".join(lines) + "\n"


def region_state() -> tuple:
    """Everything a load could change, to prove that a refused load changed nothing."""
    return (
        list(Regency.objects.values_list("code", "name", "kind", "zone", "is_active")),
        list(District.objects.values_list("code", "name", "regency_id", "is_active")),
        list(Village.objects.values_list("code", "name", "kind", "district_id", "is_active")),
        RegionListLoad.objects.count(),
    )


@pytest.mark.django_db
def test_the_bundled_list_is_loaded_after_migrate():
    """8 regencies and cities, 155 districts, 1,551 villages: 1,238 desa and 313 kelurahan."""
    assert Regency.objects.count() == 8
    assert District.objects.count() == 155
    assert Village.objects.count() == 1551
    assert Village.objects.filter(kind=Village.Kind.DESA).count() == 1238
    assert Village.objects.filter(kind=Village.Kind.KELURAHAN).count() == 313
    assert not Village.objects.filter(is_active=False).exists()
    assert RegionListLoad.objects.count() == 1


@pytest.mark.django_db
def test_regencies_are_kabupaten_or_kota_in_the_north_or_south_zone():
    """Codes 71 and above are kota; Tangerang, Kota Tangerang and Tangerang Selatan are north."""
    regencies = {r.code: r for r in Regency.objects.all()}
    assert {c for c, r in regencies.items() if r.kind == Regency.Kind.KOTA} == {
        "36.71",
        "36.72",
        "36.73",
        "36.74",
    }
    assert {c for c, r in regencies.items() if r.zone == Regency.Zone.NORTH} == NORTH
    assert {c for c, r in regencies.items() if r.zone == Regency.Zone.SOUTH} == {
        "36.01",
        "36.02",
        "36.04",
        "36.72",
        "36.73",
    }
    assert regencies["36.01"].name == "KAB. PANDEGLANG" and regencies["36.01"].kind == "kabupaten"


@pytest.mark.django_db
def test_a_village_kind_follows_its_code():
    """The last part of the code starting with 1 is a kelurahan, with 2 a desa."""
    assert Village.objects.get(code="36.01.01.2001").kind == Village.Kind.DESA
    assert Village.objects.get(code="36.71.01.1001").kind == Village.Kind.KELURAHAN
    assert not Village.objects.filter(kind="kelurahan").exclude(code__regex=r"\.1\d{3}$").exists()
    assert Village.objects.get(code="36.01.01.2001").district_id == "36.01.01"
    assert Village.objects.get(code="36.01.01.2001").regency_id == "36.01"


@pytest.mark.django_db
def test_loading_the_bundled_list_again_changes_nothing():
    """A reload is a no-op: nothing added, renamed or retired, and no load recorded."""
    before = region_state()
    result = load_region_list(bundled(), source="again")
    assert (result.added, result.renamed, result.retired, result.deleted) == (0, 0, 0, 0)
    assert not result.changed
    assert region_state() == before
    assert not RegionListLoad.objects.filter(source="again").exists()


@pytest.mark.django_db
def test_a_newer_list_adds_renames_retires_and_deletes():
    """A village with data is kept but inactive; one without data is deleted."""
    household = HouseholdFactory(village_id=RETIRED)
    renamed_before = Village.objects.get(code=RENAMED).updated_at
    text = newer_list()
    result = load_region_list(text, source="Kepmendagri 2026")
    assert (result.added, result.renamed, result.retired, result.deleted) == (1, 1, 1, 1)
    added = Village.objects.get(code=ADDED)
    assert (added.name, added.kind, added.district_id, added.regency_id, added.is_active) == (
        "Sumur Pesisir",
        "desa",
        "36.01.01",
        "36.01",
        True,
    )
    renamed = Village.objects.get(code=RENAMED)
    assert renamed.name == "Cigorondong Baru" and renamed.updated_at > renamed_before
    assert Village.objects.get(code=RETIRED).is_active is False
    assert not Village.objects.filter(code=DELETED).exists()
    household.refresh_from_db()
    assert household.village_id == RETIRED
    assert Village.objects.filter(is_active=True).count() == 1551 - 2 + 1
    load = RegionListLoad.objects.get(source="Kepmendagri 2026")
    assert (load.added, load.renamed, load.retired, load.deleted) == (1, 1, 1, 1)
    assert load.sha256 == hashlib.sha256(text.encode()).hexdigest()


@pytest.mark.django_db
def test_loading_the_same_newer_list_twice_changes_nothing_the_second_time():
    HouseholdFactory(village_id=RETIRED)
    load_region_list(newer_list(), source="first")
    before = region_state()
    result = load_region_list(newer_list(), source="second")
    assert not result.changed
    assert region_state() == before


@pytest.mark.django_db
def test_a_retired_village_that_comes_back_is_active_again():
    """A code that reappears in a later list is reactivated, and the load says so."""
    HouseholdFactory(village_id=RETIRED)
    load_region_list(newer_list(), source="without")
    result = load_region_list(newer_list(drop=(DELETED,)), source="with again")
    assert Village.objects.get(code=RETIRED).is_active is True
    assert result.changed
    assert RegionListLoad.objects.filter(source="with again").exists()


@pytest.mark.django_db
def test_a_village_that_users_or_partners_work_in_is_retired_not_deleted():
    """Users and partners name their region by code: losing the village would strand them."""
    UserFactory(username="kades_tamanjaya", role="village", region_code=DELETED)
    PartnerFactory(name="Posyandu Kenanga Ujungjaya", region_code=RETIRED)
    result = load_region_list(newer_list(), source="users")
    assert (result.retired, result.deleted) == (2, 0)
    assert set(Village.objects.filter(is_active=False).values_list("code", flat=True)) == {RETIRED, DELETED}


@pytest.mark.django_db
def test_a_district_whose_villages_all_go_is_deleted_or_retired_with_them():
    """A district missing from the list goes when it is empty; kept when a village has data."""
    codes = list(Village.objects.filter(district_id="36.01.02").values_list("code", flat=True))
    HouseholdFactory(village_id=codes[0])
    result = load_region_list(newer_list(drop=("36.01.02", *codes), rename={}, add={}), source="cimanggu")
    district = District.objects.get(code="36.01.02")
    assert district.is_active is False
    assert (result.retired, result.deleted) == (2, len(codes) - 1)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("kode,nama\n36.01,X\n", "kolom 'code' dan 'name'"),
        ("code,name\n36,BANTEN\n36.01,KAB. PANDEGLANG\n", "tidak berisi desa/kelurahan"),
        ("code,name\n36.01,KAB. PANDEGLANG\n36.01.01,Sumur\n36.01.01.20x1,Rusak\n", "Baris 4"),
        ("code,name\n36.01,KAB. PANDEGLANG\n36.01.01,Sumur\n36.01.01.2001,\n", "Baris 4"),
        ("code,name\n32.01,KAB. BOGOR\n32.01.01,Cibinong\n32.01.01.1001,Pakansari\n", "Baris 2"),
        ("code,name\n36.01,KAB. PANDEGLANG\n36.01.01.2001,Sumberjaya\n", "tanpa induk"),
    ],
    ids=["columns", "no-villages", "bad-code", "no-name", "outside-banten", "orphan"],
)
@pytest.mark.django_db
def test_it_refuses_a_malformed_list_and_changes_nothing(text, message):
    before = region_state()
    with pytest.raises(RegionListError) as error:
        load_region_list(text, source="rusak")
    assert message in str(error.value)
    assert region_state() == before


@pytest.mark.django_db
def test_the_command_loads_a_newer_file_and_reports_what_changed(tmp_path, capsys):
    HouseholdFactory(village_id=RETIRED)
    path = tmp_path / "wilayah-2026.csv"
    path.write_text("\ufeff" + newer_list(), encoding="utf-8")  # spreadsheets save a BOM
    call_command("load_regions", file=path)
    out = capsys.readouterr().out
    assert "1 added, 1 renamed, 1 retired (kept, have data), 1 deleted" in out
    assert RegionListLoad.objects.filter(source="wilayah-2026.csv").exists()


@pytest.mark.django_db
def test_the_command_refuses_a_malformed_file_with_the_reason(tmp_path):
    path = tmp_path / "rusak.csv"
    path.write_text("code,name\n36.01,KAB. PANDEGLANG\n36.01.01.2001,Sumberjaya\n", encoding="utf-8")
    before = region_state()
    with pytest.raises(CommandError, match="tanpa induk"):
        call_command("load_regions", file=path)
    with pytest.raises(CommandError, match="does not exist"):
        call_command("load_regions", file=tmp_path / "tidak-ada.csv")
    assert region_state() == before
