"""Security headers on every response: a content security policy with a per-request nonce, so the
only scripts a page can run are our static files and the inline blocks we wrote (a stored
`<script>` that slipped past escaping still would not run); and a sandboxing policy on every
downloaded or previewed file, so an uploaded page or picture can never run script on our origin."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.http import FileResponse, HttpRequest, HttpResponse

PAGE_POLICY = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)
# Files (uploads, exports, PDFs): no script, no plugins, not framable elsewhere; images and the
# browser's own PDF viewer still display.
FILE_POLICY = (
    "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'self'"
)
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=(), browsing-topics=()"
)


def is_file(response: HttpResponse) -> bool:
    """A streamed file or anything the browser is told to save or show as a document, not a page."""
    if isinstance(response, FileResponse) or response.has_header("Content-Disposition"):
        return True
    kind = response.get("Content-Type", "")
    return not kind.startswith(("text/html", "application/json", "application/problem+json"))


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.csp_nonce = secrets.token_urlsafe(18)
        response = self.get_response(request)
        # PDFs are left without a policy: Chromium will not show a PDF whose response is sandboxed, and
        # its viewer runs a PDF's script apart from the page. Uploaded PDFs are sent as attachments.
        is_pdf = response.get("Content-Type", "").startswith("application/pdf")
        if "Content-Security-Policy" not in response and not is_pdf:
            if is_file(response):
                response["Content-Security-Policy"] = FILE_POLICY
            else:
                response["Content-Security-Policy"] = PAGE_POLICY.format(nonce=request.csp_nonce)
        response.setdefault("X-Content-Type-Options", "nosniff")
        response.setdefault("Referrer-Policy", "same-origin")
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


def csp_nonce(request: HttpRequest) -> dict[str, str]:
    """`{{ csp_nonce }}` for the inline `<script nonce=…>` blocks in templates."""
    return {"csp_nonce": getattr(request, "csp_nonce", "")}
