"""The API fails closed: no viewset holds a queryset of all rows, and every one answers a
user without a region with nothing."""

import pytest
from rest_framework.test import APIRequestFactory

from api.urls import router

pytestmark = pytest.mark.django_db

VIEWSETS = sorted({(prefix, viewset) for prefix, viewset, _basename in router.registry}, key=lambda r: r[0])


@pytest.mark.parametrize(("prefix", "viewset"), VIEWSETS, ids=[p for p, _v in VIEWSETS])
def test_no_viewset_declares_a_queryset_of_all_rows(prefix, viewset):
    """Each viewset names its model; the rows come from get_queryset, scoped to the user."""
    assert viewset.queryset is None, f"{prefix}: declares queryset; name the model instead"
    assert viewset.model is not None


@pytest.mark.parametrize(("prefix", "viewset"), VIEWSETS, ids=[p for p, _v in VIEWSETS])
def test_a_user_without_a_region_reaches_no_row(prefix, viewset, stranger, case_a, partner):
    """A signed-in user with no region gets an empty queryset from every viewset, even
    with rows in the database."""
    request = APIRequestFactory().get(f"/api/v1/{prefix}/")
    request.user = stranger
    view = viewset(request=request, format_kwarg=None, action="list", kwargs={})
    assert not view.get_queryset().exists()
