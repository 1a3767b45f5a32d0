from django.contrib import admin
from django.contrib.auth import views as auth
from django.urls import include, path

from .api import api
from .throttle import LoginForm
from .views import bureau, common, dashboard, rubrics, unit

urlpatterns = [
    path("", common.home, name="home"),
    path("healthz", common.healthz, name="healthz"),
    path("login/", auth.LoginView.as_view(template_name="web/login.html", authentication_form=LoginForm), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("evaluations/", include(unit.urlpatterns)),
    path("review/", include(bureau.urlpatterns)),
    path("dashboard/", include(dashboard.urlpatterns)),
    path("rubrics/", include(rubrics.urlpatterns)),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

handler403 = "jixiao.web.views.common.forbidden"
handler404 = "jixiao.web.views.common.not_found"
handler500 = "jixiao.web.views.common.server_error"
