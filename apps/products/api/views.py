from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api.geojson import ORJSONRenderer
from apps.core.api.pagination import Pagination
from apps.core.api.schema import paginated
from apps.core.exceptions import ApplicationError, ErrorCode
from apps.producers.permissions import can_create_producer, can_edit_producer
from apps.producers.selectors import producer_get
from apps.products.selectors import product_get, product_list
from apps.products.services import product_create

from .serializers import ProductFilterSerializer, ProductInputSerializer, ProductOutputSerializer


class ProductListCreateApi(APIView):
    """Products of the producers in the user's jurisdiction; register a product."""

    renderer_classes = [ORJSONRenderer]

    @extend_schema(
        parameters=[ProductFilterSerializer],
        responses=paginated(ProductOutputSerializer),
        operation_id="api_v1_products_list",
    )
    def get(self, request):
        filters = ProductFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        params = filters.validated_data
        products = product_list(user=request.user)
        if "producer" in params:
            products = products.filter(producer_id=params["producer"])
        if "status" in params:
            products = products.filter(status=params["status"])
        paginator = Pagination()
        page = paginator.paginate_queryset(products, request, view=self)
        return paginator.get_paginated_response(ProductOutputSerializer(page, many=True).data)

    @extend_schema(
        request=ProductInputSerializer,
        responses={201: ProductOutputSerializer},
        description=(
            "Register a draft product. The producer must be in your scope (404 otherwise) and "
            "yours to edit (403 otherwise)."
        ),
    )
    def post(self, request):
        if not can_create_producer(request.user):  # the roles that may ever add products
            raise ApplicationError(
                ErrorCode.PERMISSION_DENIED, _("Your role cannot register products.")
            )
        serializer = ProductInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        producer = producer_get(user=request.user, producer_id=data.pop("producer"))
        if not can_edit_producer(request.user, producer):
            raise ApplicationError(
                ErrorCode.PERMISSION_DENIED, _("You cannot add products to this producer.")
            )
        product = product_create(actor=request.user, producer=producer, **data)
        product = product_get(user=request.user, product_id=product.pk)
        return Response(ProductOutputSerializer(product).data, status=status.HTTP_201_CREATED)


class ProductDetailApi(APIView):
    renderer_classes = [ORJSONRenderer]

    @extend_schema(responses=ProductOutputSerializer)
    def get(self, request, product_id: int):
        product = product_get(user=request.user, product_id=product_id)
        return Response(ProductOutputSerializer(product).data)
