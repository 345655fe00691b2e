from django.urls import path

from . import views

app_name = "criteria"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/sheets/<int:number>/", views.sheet_page, name="sheet"),
]
