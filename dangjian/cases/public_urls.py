"""Pages without login: a township's public board of published cases and the resident's receipt lookup."""

from django.urls import path

from . import public_views as V

urlpatterns = [
    path("board/<int:pk>/", V.board, name="case-board"),
    path("lookup/", V.lookup, name="case-lookup"),
]
