from django.apps import AppConfig
from django.contrib.auth.signals import user_login_failed


class SupportDeskConfig(AppConfig):
    name = "support_desk"
    verbose_name = "Support Desk"

    def ready(self) -> None:
        # Connects its connection_created receiver: a new connection has nothing prepared.
        from support_desk import prepared  # noqa: F401
        from support_desk.security_log import login_failed

        # Failed log-ins are refused requests: one desk.security record each.
        user_login_failed.connect(login_failed, dispatch_uid="support_desk.login_failed")
