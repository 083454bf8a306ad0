"""Pages of a collection: `?page=N&page_size=M` (snake_case, as every field of the API), with links to the first,
previous, next and last page."""

from __future__ import annotations

from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param


class Pages(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500

    def _link(self, number: int | None) -> dict | None:
        if number is None:
            return None
        url = self.request.build_absolute_uri()
        url = remove_query_param(url, self.page_query_param) if number == 1 else replace_query_param(
            url, self.page_query_param, number)
        return {"href": url}

    def get_paginated_response(self, data):
        page = self.page
        last = page.paginator.num_pages
        return Response({
            "_links": {
                "self": self._link(page.number),
                "first": self._link(1),
                "prev": self._link(page.previous_page_number() if page.has_previous() else None),
                "next": self._link(page.next_page_number() if page.has_next() else None),
                "last": self._link(last),
            },
            "page": page.number,
            "page_size": page.paginator.per_page,
            "total_pages": last,
            "total_items": page.paginator.count,
            "results": data,
        })

    def get_paginated_response_schema(self, schema):
        link = {"type": "object", "nullable": True, "properties": {"href": {"type": "string", "format": "uri"}}}
        return {
            "type": "object",
            "required": ["_links", "page", "page_size", "total_pages", "total_items", "results"],
            "properties": {
                "_links": {"type": "object", "properties": {k: link for k in ("self", "first", "prev", "next",
                                                                             "last")}},
                "page": {"type": "integer", "example": 1},
                "page_size": {"type": "integer", "example": 100},
                "total_pages": {"type": "integer", "example": 1},
                "total_items": {"type": "integer", "example": 5},
                "results": schema,
            },
        }
