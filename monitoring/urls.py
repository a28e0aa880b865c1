from django.urls import path

from monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("values/", views.IndicatorValueListView.as_view(), name="values"),
    path("<int:pk>/", views.MeasureDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.MeasureEditView.as_view(), name="edit"),
    path("indicators/<int:parent_pk>/measure/", views.MeasureEditView.as_view(), name="add"),
    path("<int:parent_pk>/values/add/", views.IndicatorValueEditView.as_view(), name="value_add"),
    path("values/<int:pk>/edit/", views.IndicatorValueEditView.as_view(), name="value_edit"),
]
