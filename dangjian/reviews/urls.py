from django.urls import path

from . import views

urlpatterns = [
    path("", views.ReviewListView.as_view(), name="review-list"),
    path("new/", views.ReviewNewView.as_view(), name="review-new"),
    path("<int:pk>/", views.ReviewDetailView.as_view(), name="review-detail"),
    path("<int:pk>/notes/", views.ReviewNotesView.as_view(), name="review-notes"),
    path("<int:pk>/topics/", views.TopicAddView.as_view(), name="review-topic-add"),
    path("<int:pk>/publish/", views.ReviewPublishView.as_view(), name="review-publish"),
    path("<int:pk>/pack.docx", views.ReviewFileView.as_view(ext="docx"), name="review-docx"),
    path("<int:pk>/pack.xlsx", views.ReviewFileView.as_view(ext="xlsx"), name="review-xlsx"),
    path("<int:pk>/pack.pdf", views.ReviewFileView.as_view(ext="pdf"), name="review-pdf"),
    path("topics/<int:pk>/", views.TopicEditView.as_view(), name="review-topic-edit"),
    path("topics/<int:pk>/remove/", views.TopicRemoveView.as_view(), name="review-topic-remove"),
]
