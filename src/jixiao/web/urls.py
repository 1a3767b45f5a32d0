from django.contrib import admin
from django.contrib.auth import views as auth
from django.urls import include, path, reverse_lazy

from .api import api
from .views import bureau, campaigns, common, dashboard, evidence, inbox, rubrics, unit

urlpatterns = [
    path("", common.home, name="home"),
    path("healthz", common.healthz, name="healthz"),
    path("login/", auth.LoginView.as_view(template_name="web/login.html"), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("password/", auth.PasswordChangeView.as_view(
        template_name="web/account_form.html", success_url=reverse_lazy("password-changed"),
        extra_context={"title": "修改密码", "button": "修改密码"}), name="password-change"),
    path("password/done/", auth.PasswordChangeDoneView.as_view(
        template_name="web/account_done.html", extra_context={"title": "密码已修改", "text": "新密码已生效。"}), name="password-changed"),
    path("password/reset/", auth.PasswordResetView.as_view(
        template_name="web/account_form.html", email_template_name="web/password_reset_email.txt",
        subject_template_name="web/password_reset_subject.txt", success_url=reverse_lazy("password-reset-sent"),
        extra_context={"title": "找回密码", "button": "发送重设链接", "anonymous": True,
                       "hint": "填写账号登记的电子邮箱，系统将发送重设密码的链接。"}), name="password-reset"),
    path("password/reset/sent/", auth.PasswordResetDoneView.as_view(
        template_name="web/account_done.html", extra_context={"title": "已发送", "text": "如该邮箱登记过账号，重设密码的链接已发出，请查收邮件。"}), name="password-reset-sent"),
    path("password/reset/<uidb64>/<token>/", auth.PasswordResetConfirmView.as_view(
        template_name="web/account_form.html", success_url=reverse_lazy("password-reset-done"),
        extra_context={"title": "设置新密码", "button": "保存新密码", "anonymous": True}), name="password-reset-confirm"),
    path("password/reset/done/", auth.PasswordResetCompleteView.as_view(
        template_name="web/account_done.html", extra_context={"title": "密码已重设", "text": "请用新密码登录。"}), name="password-reset-done"),
    path("evaluations/", include(unit.urlpatterns)),
    path("evaluations/", include(evidence.urlpatterns)),
    path("review/", include(bureau.urlpatterns)),
    path("dashboard/", include(dashboard.urlpatterns)),
    path("rubrics/", include(rubrics.urlpatterns)),
    path("campaigns/", include(campaigns.urlpatterns)),
    path("inbox/", include(inbox.urlpatterns)),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

handler403 = "jixiao.web.views.common.forbidden"
handler404 = "jixiao.web.views.common.not_found"
handler500 = "jixiao.web.views.common.server_error"
