from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from core.pagination import EstimatingPaginator


class Pagination(PageNumberPagination):
    """`{"count", "count_is_estimate", "next", "previous", "results"}`; `page_size` up to 200.
    Past 10,000 rows (a province's cases) `count` is PostgreSQL's estimate and
    `count_is_estimate` is true: an exact count would cost more than the page."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    invalid_page_message = _("Halaman tidak ditemukan.")
    django_paginator_class = EstimatingPaginator

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
