from django.urls import path

from . import views

urlpatterns = [
    path("criteria-sets/", views.CriteriaSetListApi.as_view(), name="criteria-set-list"),
    path(
        "criteria-sets/<slug:slug>/sheets/",
        views.SheetListApi.as_view(),
        name="criteria-sheet-list",
    ),
    path(
        "criteria-sets/<slug:slug>/sheets/<int:number>/",
        views.SheetDetailApi.as_view(),
        name="criteria-sheet-detail",
    ),
    path(
        "criteria-sets/<slug:slug>/sheets/<int:number>/evaluate/",
        views.SheetEvaluateApi.as_view(),
        name="criteria-sheet-evaluate",
    ),
]
