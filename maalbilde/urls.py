from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView

from maalbilde.api.main import urls as api_urls
from maalbilde.web.language import change_language

urlpatterns = [
    path("i18n/setlang/", change_language, name="set_language"),
    path("api/docs", login_not_required(RedirectView.as_view(url="/api/v1/docs"))),
    *api_urls(),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", include("maalbilde.web.urls")),
    prefix_default_language=False,
)

handler500 = "maalbilde.web.requests.server_error"
