"""API searches by NIK or KK travel in the body: a GET with 16 digits in `?search=` is
refused (the URL would land in access logs); `POST .../search/` answers the list."""

HOUSEHOLDS, PERSONS = "/api/v1/households/", "/api/v1/persons/"


def test_a_get_with_a_nik_in_the_url_is_refused(api, head_a, head_of_a):
    response = api(head_a).get(PERSONS, {"search": head_of_a.nik})
    assert response.status_code == 400
    assert "POST" in response.json()["search"][0]


def test_a_post_search_finds_the_whole_number_and_names(api, head_a, household_a, head_of_a):
    client = api(head_a)
    by_nik = client.post(f"{PERSONS}search/", {"search": head_of_a.nik}, format="json")
    assert by_nik.status_code == 200 and [p["id"] for p in by_nik.json()["results"]] == [head_of_a.pk]
    by_kk = client.post(f"{HOUSEHOLDS}search/", {"search": household_a.kk_number}, format="json")
    assert [h["id"] for h in by_kk.json()["results"]] == [household_a.pk]
    assert client.get(PERSONS, {"search": "aminah"}).json()["count"] == 1  # names may still GET


def test_a_post_search_needs_only_the_view_permission_and_stays_in_region(api, head_b, head_of_a):
    response = api(head_b).post(f"{PERSONS}search/", {"search": head_of_a.nik}, format="json")
    assert response.status_code == 200 and response.json()["count"] == 0
