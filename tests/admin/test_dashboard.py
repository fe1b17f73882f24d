"""The admin front page: cases by stage per regency for the user's region, the proposals
waiting, and amounts in rupiah."""

from django.urls import reverse

from tests.admin.conftest import page


def test_it_counts_cases_by_stage_per_regency_of_the_users_region(world, regency_official, login):
    """Pandeglang's official sees one row, Pandeglang, with both villages' open cases."""
    response = login(regency_official).get(reverse("admin:index"))
    rows = response.context["stage_rows"]
    assert [r["regency"].code for r in rows] == ["36.01"]
    assert [c["count"] for c in rows[0]["cells"]] == [2, 0, 0, 0, 0]
    assert "regency=36.01" in rows[0]["cells"][0]["url"] and "stage__exact=1" in rows[0]["cells"][0]["url"]


def test_it_links_the_pending_proposals_to_the_filtered_list(world, district_official, login):
    """Two proposals wait in the district; the card links to the pending moves."""
    response = login(district_official).get(reverse("admin:index"))
    html = page(response)
    assert response.context["pending_count"] == 2
    assert "/admin/beneficiaries/stagetransition/?state__exact=pending" in html
    listed = login(district_official).get(response.context["pending_url"])
    assert listed.context["cl"].result_count == 2


def test_it_counts_only_the_users_own_village(world, head_b, login):
    """B's head: one open case, one proposal, B's aid in rupiah."""
    response = login(head_b).get(reverse("admin:index"))
    html = page(response)
    assert sum(response.context["stage_totals"]) == 1
    assert response.context["pending_count"] == 1
    assert "Rp 1.250.000" in html


def test_it_shows_a_user_without_region_nothing(world, stranger, login):
    """No region: no figures at all, and a message saying why."""
    response = login(stranger).get(reverse("admin:index"))
    html = page(response)
    assert response.context["stage_rows"] == [] and response.context["pending_count"] == 0
    assert "belum diberi peran dan wilayah kerja" in html
    assert "Rp " not in html
