from django.urls import path

from . import views

urlpatterns = [
    path("", views.ResultListView.as_view(), name="scoring-list"),
    path("org/<int:pk>/", views.org_scores, name="scoring-org"),
    path("scores/", views.ScoreListView.as_view(), name="scoring-scores"),
    path("indicators/", views.IndicatorListView.as_view(), name="scoring-indicators"),
    path("sets/", views.SetListView.as_view(), name="scoring-sets"),
    path("sets/new/", views.new_set, name="scoring-set-new"),
    path("sets/<int:pk>/", views.SetView.as_view(), name="scoring-set"),
    path("sets/<int:pk>/indicators/", views.IndicatorsView.as_view(), name="scoring-set-indicators"),
    path("sets/<int:pk>/score/", views.ManualScoreView.as_view(), name="scoring-set-score"),
    path("sets/<int:pk>/honours/", views.HonoursView.as_view(), name="scoring-honours"),
    *[
        path(f"sets/<int:pk>/{step}/", views.SetAction.as_view(step=step), name=f"scoring-set-{step}")
        for step in ("compute", "rollup", "close", "publish", "export-cadres")
    ],
    path("scorecards/", views.ScorecardListView.as_view(), name="scoring-scorecards"),
    path("scorecards/<int:pk>/", views.ScorecardView.as_view(), name="scoring-scorecard"),
    path("scorecards/<int:pk>/read/", views.ScorecardReadView.as_view(), name="scoring-scorecard-read"),
    path("awards/", views.AwardListView.as_view(), name="scoring-awards"),
    path("awards/new/", views.new_award, name="scoring-award-new"),
]
