"""Public pages and exports are read-only: GET and HEAD, OPTIONS for CORS preflights, else
405, except views marked with `writes`. The admin is left to Django."""

from django.http import HttpResponse, HttpResponseNotAllowed

READ = ("GET", "HEAD")
ALLOW = "GET, HEAD, OPTIONS"


def writes(view):
    """Marks a view that takes writes on purpose; PublicMethodsMiddleware lets it through."""
    view.accepts_writes = True
    return view


class PublicMethodsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "OPTIONS" and not request.path.startswith("/admin/"):
            response = HttpResponse(status=204)
            response["Allow"] = ALLOW
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Allow-Methods"] = ALLOW
            response["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
            response["Access-Control-Max-Age"] = "86400"
            return response
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        writable = request.path.startswith("/admin/") or getattr(view_func, "accepts_writes", False)
        if request.method not in READ and not writable:
            return HttpResponseNotAllowed([*READ, "OPTIONS"])  # Allow: GET, HEAD, OPTIONS
        return None
