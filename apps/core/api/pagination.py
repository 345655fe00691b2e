from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.pagination import PageNumberPagination

from apps.core.parsing import InvalidInput, parse_optional_int


class Pagination(PageNumberPagination):
    """`?page=` and `?page_size=` as ASCII whole numbers (anything else, or a page beyond
    `OCOP_MAX_OFFSET` rows, is a 400 naming the parameter); a page size above the maximum is
    lowered to it."""

    page_size_query_param = "page_size"
    max_page_size = 1000

    def get_page_size(self, request):
        size = parse_optional_int(
            request.query_params.get(self.page_size_query_param),
            field=self.page_size_query_param,
            minimum=1,
        )
        if size is None:
            return self.page_size
        return min(size, self.max_page_size)

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw in self.last_page_strings:
            return raw
        page = parse_optional_int(raw, field=self.page_query_param, default=1, minimum=1)
        size = self.get_page_size(request) or 1
        if (page - 1) * size > settings.OCOP_MAX_OFFSET:
            raise InvalidInput(
                self.page_query_param,
                _("“page” is too far: at most %(max)s rows can be skipped; narrow the filters.")
                % {"max": settings.OCOP_MAX_OFFSET},
            )
        return page
