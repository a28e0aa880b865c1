from django.urls import path

from self_assessments import views

app_name = "self_assessments"

urlpatterns = [
    path("", views.AssessmentListView.as_view(), name="list"),
    path("issue/", views.IssueView.as_view(), name="issue"),
    path("<int:pk>/", views.AssessmentDetailView.as_view(), name="detail"),
    path("<int:pk>/answer/", views.AnswerView.as_view(), name="answer"),
    path("<int:pk>/review/", views.ReviewView.as_view(), name="review"),
    path("answers/<int:pk>/evidence/", views.EvidenceAddView.as_view(), name="evidence_add"),
    path("evidence/<int:pk>/", views.EvidenceDownloadView.as_view(), name="evidence"),
    path("actions/<int:pk>/edit/", views.ActionEditView.as_view(), name="action_edit"),
    path("actions/<int:pk>/status/", views.ActionMarkView.as_view(), name="action_status"),
    path("questionnaires/", views.VersionListView.as_view(), name="templates"),
    path("questionnaires/<int:pk>/", views.VersionDetailView.as_view(), name="version"),
    path("questionnaires/<int:pk>/publish/", views.VersionStepView.as_view(step="publish"), name="publish"),
    path("questionnaires/<int:parent_pk>/sections/add/", views.SectionAddView.as_view(), name="section_add"),
    path("sections/<int:parent_pk>/questions/add/", views.QuestionEditView.as_view(), name="question_add"),
    path("questions/<int:pk>/edit/", views.QuestionEditView.as_view(), name="question_edit"),
    path("questionnaires/<int:pk>/new-version/", views.VersionStepView.as_view(step="new"), name="new_version"),
]
