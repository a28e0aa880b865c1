from django.urls import path

from governance import views

app_name = "governance"

urlpatterns = [
    path("", views.BodyListView.as_view(), name="list"),
    path("add/", views.BodyEditView.as_view(), name="add"),
    path("interests/", views.InterestListView.as_view(), name="interests"),
    path("interests/add/", views.InterestAddView.as_view(), name="interest_add"),
    path("<int:pk>/", views.BodyDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.BodyEditView.as_view(), name="edit"),
    path("<int:pk>/history/", views.BodyHistoryView.as_view(), name="history"),
    path("<int:parent_pk>/terms/add/", views.TermsOfReferenceAddView.as_view(), name="terms_add"),
    path("<int:parent_pk>/members/add/", views.MembershipEditView.as_view(), name="member_add"),
    path("members/<int:pk>/edit/", views.MembershipEditView.as_view(), name="member_edit"),
    path("<int:parent_pk>/decisions/add/", views.WrittenDecisionAddView.as_view(), name="written_decision_add"),
    path("<int:parent_pk>/meetings/add/", views.MeetingScheduleView.as_view(), name="meeting_add"),
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting"),
    path("meetings/<int:pk>/minutes.docx", views.MinutesPaperView.as_view(fmt="docx"), name="minutes_docx"),
    path("meetings/<int:pk>/minutes.pdf", views.MinutesPaperView.as_view(fmt="pdf"), name="minutes_pdf"),
    path("meetings/<int:parent_pk>/attendance/", views.AttendanceView.as_view(), name="attendance"),
    path("meetings/<int:parent_pk>/items/add/", views.AgendaItemAddView.as_view(), name="item_add"),
    path("meetings/<int:parent_pk>/actions/add/", views.ActionEditView.as_view(), name="action_add"),
    path("actions/<int:pk>/edit/", views.ActionEditView.as_view(), name="action_edit"),
    path("meetings/<int:parent_pk>/reviews/add/", views.DeclarationReviewView.as_view(), name="review_add"),
    path("meetings/<int:pk>/close/", views.CloseMeetingView.as_view(), name="meeting_close"),
    path("meetings/<int:parent_pk>/minutes/add/", views.MinutesAddView.as_view(), name="minutes_add"),
    path("minutes/<int:pk>/circulate/", views.CirculateMinutesView.as_view(), name="minutes_circulate"),
    path("minutes/<int:pk>/approve/", views.ApproveMinutesView.as_view(), name="minutes_approve"),
    path("items/<int:parent_pk>/declare/", views.ItemDeclarationView.as_view(), name="declare"),
    path("items/<int:parent_pk>/decisions/add/", views.DecisionAddView.as_view(), name="decision_add"),
    path("decisions/<int:pk>/", views.DecisionDetailView.as_view(), name="decision"),
    path("decisions/<int:pk>/record.docx", views.DecisionPaperView.as_view(fmt="docx"), name="decision_docx"),
    path("decisions/<int:pk>/record.pdf", views.DecisionPaperView.as_view(fmt="pdf"), name="decision_pdf"),
    path("decisions/<int:pk>/open/", views.OpenVoteView.as_view(), name="decision_open"),
    path("decisions/<int:pk>/vote/", views.BallotView.as_view(), name="ballot"),
    path("decisions/<int:pk>/close/", views.CloseVoteView.as_view(), name="decision_close"),
]
