from functools import partial

from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.settings import api_settings

from core.pagination import SEARCH_EXACT_UP_TO, EstimatingPaginator


class Pagination(PageNumberPagination):
    """`{"count", "count_is_estimate", "next", "previous", "results"}`; `page_size` up to 200.
    Past 10,000 rows (a province's cases) `count` is PostgreSQL's estimate and
    `count_is_estimate` is true: an exact count would cost more than the page. A search
    (`search` in the query or the POST body) is counted exactly only up to 500 matches."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    invalid_page_message = _("Halaman tidak ditemukan.")
    django_paginator_class = EstimatingPaginator

    def paginate_queryset(self, queryset, request, view=None):
        if searched(request):
            self.django_paginator_class = partial(EstimatingPaginator, exact_up_to=SEARCH_EXACT_UP_TO)
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "count_is_estimate": self.page.paginator.is_estimate,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"] = {
            "count": response["properties"]["count"],
            "count_is_estimate": {"type": "boolean", "example": False},
            **{k: v for k, v in response["properties"].items() if k != "count"},
        }
        return response


def searched(request) -> bool:
    param = api_settings.SEARCH_PARAM
    if request.method == "POST" and hasattr(request.data, "get"):
        return bool(str(request.data.get(param) or "").strip())
    return bool(request.query_params.get(param, "").strip())
