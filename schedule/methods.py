"""Public pages and exports are read-only: GET and HEAD are served, OPTIONS answers a CORS
preflight (browser apps revalidate the exports with conditional headers), anything else is
405. The admin (and its login form) is left to Django."""

from django.http import HttpResponse, HttpResponseNotAllowed

READ = ("GET", "HEAD")
ALLOW = "GET, HEAD, OPTIONS"


class PublicMethodsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/admin/") or request.method in READ:
            return self.get_response(request)
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Allow"] = ALLOW
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Allow-Methods"] = ALLOW
            response["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
            response["Access-Control-Max-Age"] = "86400"
            return response
        response = HttpResponseNotAllowed(READ)
        response["Allow"] = ALLOW
        return response
