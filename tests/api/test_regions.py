"""Regions are reference data: every user with a region reads all of them."""

import pytest


def test_it_lists_the_eight_regencies_with_code_name_and_kind(api, head_a):
    body = api(head_a).get("/api/v1/regencies/").json()
    assert body["count"] == 8
    assert body["results"][0] == {
        "code": "36.01",
        "name": body["results"][0]["name"],
        "kind": "kabupaten",
        "zone": "south",
        "is_active": True,
    }
    assert set(body) == {"count", "count_is_estimate", "next", "previous", "results"}
    assert body["count_is_estimate"] is False  # counted exactly: far under 10,000 rows


def test_it_lists_the_districts_of_a_regency(api, north_official):
    body = api(north_official).get("/api/v1/districts/", {"regency": "36.01", "page_size": 200}).json()
    assert body["count"] > 0
    assert {d["regency"] for d in body["results"]} == {"36.01"}
    assert {d["kind"] for d in body["results"]} == {"kecamatan"}


def test_it_lists_the_villages_of_a_district(api, district_official):
    body = api(district_official).get("/api/v1/villages/", {"district": "36.01.01", "page_size": 200}).json()
    codes = [v["code"] for v in body["results"]]
    assert "36.01.01.2001" in codes
    assert all(c.startswith("36.01.01.") for c in codes)
    assert {v["kind"] for v in body["results"]} <= {"desa", "kelurahan"}


def test_it_reads_one_village_by_its_dotted_code(api, head_b):
    response = api(head_b).get("/api/v1/villages/36.01.01.2001/")
    assert response.status_code == 200
    assert response.json()["district"] == "36.01.01"


@pytest.mark.parametrize("path", ["/api/v1/regencies/", "/api/v1/districts/", "/api/v1/villages/"])
def test_a_user_without_a_region_reads_empty_lists(api, stranger, path):
    assert api(stranger).get(path).json()["count"] == 0


def test_it_caps_page_size_at_two_hundred(api, province):
    body = api(province).get("/api/v1/villages/", {"page_size": 5000}).json()
    assert body["count"] > 1000
    assert len(body["results"]) == 200
    assert "page=2" in body["next"] and body["previous"] is None


def test_it_answers_404_for_a_page_past_the_end(api, province):
    response = api(province).get("/api/v1/regencies/", {"page": 99})
    assert response.status_code == 404
    assert response.json() == {"detail": "Halaman tidak ditemukan."}
