from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", include("maalbilde.web.urls")),
    prefix_default_language=False,
)

handler500 = "maalbilde.web.requests.server_error"
