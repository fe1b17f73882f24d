"""Who sees what in the admin: every list, change page, history page, dropdown, autocomplete
and filter goes through the visibility selector."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.admin.conftest import page

# Every admin list of case work, and the programme partners (which serve a region).
CASEWORK_LISTS = [
    "beneficiaries_household",
    "beneficiaries_person",
    "beneficiaries_case",
    "beneficiaries_stagetransition",
    "beneficiaries_assistance",
    "beneficiaries_group",
    "beneficiaries_enterprise",
    "beneficiaries_capitalaccess",
    "beneficiaries_activity",
    "programs_partner",
]


def objects_of(village) -> list:
    return [
        village.household,
        village.head,
        village.case,
        village.move,
        village.assistance,
        village.group,
        village.enterprise,
        village.capital,
        village.activity,
        village.partner,
    ]


def change_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def history_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_history", args=[obj.pk])


@pytest.mark.parametrize("name", CASEWORK_LISTS)
def test_it_never_lists_village_a_rows_to_the_head_of_village_b(name, world, head_b, login):
    """B's lists show B's rows and none of A's."""
    a, b = world
    html = page(login(head_b).get(reverse(f"admin:{name}_changelist")))
    assert a.marker not in html and a.household.kk_number not in html
    assert b.marker in html or b.household.kk_number in html


@pytest.mark.parametrize("name", CASEWORK_LISTS)
def test_it_lists_both_villages_to_their_district_official(name, world, district_official, login):
    """The camat of the district that holds A and B sees both."""
    a, b = world
    html = page(login(district_official).get(reverse(f"admin:{name}_changelist")))
    for village in (a, b):
        assert village.marker in html or village.household.kk_number in html


@pytest.mark.parametrize("name", CASEWORK_LISTS)
def test_it_shows_other_regencies_nothing(name, world, north_official, login):
    """An official of Kota Tangerang sees no row of Pandeglang."""
    a, b = world
    html = page(login(north_official).get(reverse(f"admin:{name}_changelist")))
    assert a.marker not in html and b.marker not in html


@pytest.mark.parametrize("name", CASEWORK_LISTS)
def test_it_shows_a_user_without_region_empty_lists(name, world, stranger, login):
    """A signed-in staff user with no role or region sees empty lists, never everything."""
    stranger.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    a, b = world
    response = login(stranger).get(reverse(f"admin:{name}_changelist"))
    html = page(response)
    assert response.context["cl"].result_count == 0
    assert a.marker not in html and b.marker not in html


def test_it_returns_404_on_village_a_change_and_history_pages_for_village_b(world, head_b, login):
    """Not a redirect with 'does not exist': a plain 404 for every record of A."""
    a, _b = world
    client = login(head_b)
    for obj in objects_of(a):
        assert client.get(change_url(obj)).status_code == 404, obj
        if hasattr(type(obj), "history"):
            assert client.get(history_url(obj)).status_code == 404, obj


def test_it_shows_own_history_with_who_changed_what(world, head_a, login):
    """A's head reads the history of A's case: the entry and the stage move are there."""
    a, _b = world
    html = page(login(head_a).get(history_url(a.case)))
    assert head_a.username in html


def test_it_refuses_history_revert_pages_outside_the_region(world, head_b, login):
    """The per-version history page of A's household is a 404 for B too."""
    a, _b = world
    version = a.household.history.latest("history_date")
    url = reverse("admin:beneficiaries_household_simple_history", args=[a.household.pk, version.history_id])
    assert login(head_b).get(url).status_code == 404


def test_it_offers_only_visible_rows_in_foreign_key_dropdowns(world, head_b, login):
    """The partner and programme dropdowns of a new aid record hold nothing of A."""
    a, b = world
    html = page(login(head_b).get(reverse("admin:beneficiaries_assistance_add")))
    assert b.partner.name in html
    assert a.partner.name not in html


def test_it_limits_the_dropdown_querysets_of_every_form_to_visible_rows(world, head_b, rf):
    """Every foreign key of every registered admin form offers only rows B may see."""
    from django.contrib import admin

    a, _b = world
    request = rf.get("/admin/")
    request.user = head_b
    leaked = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in {"beneficiaries", "programs"}:
            continue
        form = model_admin.get_form(request)
        for name, field in form.base_fields.items():
            queryset = getattr(field, "queryset", None)
            if queryset is None:
                continue
            pks = set(queryset.values_list("pk", flat=True))
            for obj in objects_of(a):
                if isinstance(obj, queryset.model) and obj.pk in pks:
                    leaked.append((model.__name__, name, obj))
            if queryset.model._meta.model_name == "village" and a.code in pks:
                leaked.append((model.__name__, name, a.code))
    assert leaked == []


@pytest.mark.parametrize(
    ("model_name", "field_name", "attr"),
    [
        ("case", "household", "household"),
        ("assistance", "case", "case"),
        ("assistance", "recipient", "head"),
        ("group", "enterprise", "enterprise"),
        ("household", "village", None),
        ("activity", "partner", "partner"),
    ],
)
def test_it_autocompletes_only_visible_rows(model_name, field_name, attr, world, head_b, login):
    """The admin's autocomplete endpoint answers from the related admin's scoped queryset."""
    a, b = world
    response = login(head_b).get(
        "/admin/autocomplete/",
        {"app_label": "beneficiaries", "model_name": model_name, "field_name": field_name, "term": ""},
    )
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    if attr is None:
        assert ids == {b.code}
    else:
        assert str(getattr(a, attr).pk) not in ids
        assert str(getattr(b, attr).pk) in ids


def test_it_autocompletes_nothing_for_a_user_without_region(world, stranger, login):
    """No region, no rows, even through the autocomplete endpoint."""
    stranger.user_permissions.set(Permission.objects.filter(codename__in=["view_household", "add_case"]))
    response = login(stranger).get(
        "/admin/autocomplete/",
        {"app_label": "beneficiaries", "model_name": "case", "field_name": "household", "term": ""},
    )
    assert response.json()["results"] == []


def test_it_offers_only_visible_regions_and_programmes_as_filter_choices(world, head_b, login):
    """B's region filters name B's village only; A's village is not a choice."""
    response = login(head_b).get(reverse("admin:beneficiaries_case_changelist"), {"district": "36.01.01"})
    choices = {
        spec.parameter_name: [c[0] for c in spec.lookup_choices]
        for spec in response.context["cl"].filter_specs
        if hasattr(spec, "parameter_name")
    }
    assert choices == {"regency": ["36.01"], "district": ["36.01.01"], "village": ["36.01.01.2002"]}
    html = page(response)
    assert "Sumberjaya" not in html


def test_it_cascades_region_filter_choices(world, province, login):
    """Districts of the chosen regency; villages of the chosen district."""
    client = login(province)
    url = reverse("admin:beneficiaries_case_changelist")
    specs = {
        s.parameter_name: s
        for s in client.get(url).context["cl"].filter_specs
        if hasattr(s, "parameter_name")
    }
    assert len(specs["regency"].lookup_choices) == 8
    assert "district" not in specs and "village" not in specs  # choose a regency first
    specs = {
        s.parameter_name: s
        for s in client.get(url, {"regency": "36.01", "district": "36.01.01"}).context["cl"].filter_specs
        if hasattr(s, "parameter_name")
    }
    assert all(code.startswith("36.01.") for code, _ in specs["district"].lookup_choices)
    villages = [code for code, _ in specs["village"].lookup_choices]
    assert "36.01.01.2001" in villages and all(v.startswith("36.01.01.") for v in villages)


def test_it_filters_cases_by_village(world, district_official, login):
    """Choosing village A lists A's case and not B's."""
    a, b = world
    response = login(district_official).get(
        reverse("admin:beneficiaries_case_changelist"), {"district": "36.01.01", "village": a.code}
    )
    assert [c.pk for c in response.context["cl"].result_list] == [a.case.pk]


def test_it_lets_a_superuser_see_every_row(world, superuser, login):
    """Superusers see everything."""
    a, b = world
    html = page(login(superuser).get(reverse("admin:beneficiaries_household_changelist")))
    assert str(a.household) in html and str(b.household) in html  # lists mask the KK for everyone


def test_it_lists_only_users_of_the_officials_region(world, regency_official, north_official, head_a, login):
    """Pandeglang's official sees Pandeglang's users, not Kota Tangerang's."""
    html = page(login(regency_official).get(reverse("admin:regions_user_changelist")))
    assert head_a.username in html
    assert north_official.username not in html


def test_it_lists_only_the_villages_of_the_users_region(world, head_b, login):
    """The region reference is scoped too: B's head sees one village."""
    response = login(head_b).get(reverse("admin:regions_village_changelist"))
    assert [v.code for v in response.context["cl"].result_list] == ["36.01.01.2002"]
