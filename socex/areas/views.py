from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def area_list(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/profile.html", {"page_title": "Areas and hubs"})
