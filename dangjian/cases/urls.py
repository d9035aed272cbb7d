"""/cases/: the case pages (case_urls), the ledger reports and department rates (report_urls) and the
public board and receipt lookup that need no login (public_urls)."""

from . import case_urls, public_urls, report_urls

urlpatterns = [*report_urls.urlpatterns, *public_urls.urlpatterns, *case_urls.urlpatterns]
