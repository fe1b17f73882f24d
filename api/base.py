"""What every API view shares: auth, permissions, pagination, filters, errors, schema,
and the write path (validate the shape, call the service, answer with the fresh row)."""

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.filters import OrderingFilter
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from regions.selectors import region_codes_q

from .errors import api_exception_handler
from .filters import IdentitySearchFilter
from .pagination import Pagination
from .permissions import RolePermissions
from .schema import ApiSchema


class ApiViewSet(GenericViewSet):
    # Token first, so an anonymous request gets 401 with `WWW-Authenticate: Token`.
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [RolePermissions]
    pagination_class = Pagination
    filter_backends = [DjangoFilterBackend, IdentitySearchFilter, OrderingFilter]
    ordering_fields = ["id"]
    lookup_value_regex = r"[0-9]+"
    schema = ApiSchema()

    def get_exception_handler(self):
        return api_exception_handler

    def visible(self):
        """The model's rows this user may see: the one visibility selector."""
        return self.queryset.model.objects.visible_to(self.request.user)

    def read(self, serializer_class, *, partial: bool = False) -> dict:
        serializer = serializer_class(
            data=self.request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def respond(self, obj, status_code: int = 200) -> Response:
        fresh = self.get_queryset().filter(pk=obj.pk).first() or obj
        return Response(self.get_serializer(fresh).data, status=status_code)


class ReferenceViewSet(ApiViewSet):
    """Province-wide reference data: any user with a region reads all of it; a user with
    no region reads nothing."""

    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        qs = super().get_queryset()
        return qs if region_codes_q(self.request.user) is not None else qs.none()
