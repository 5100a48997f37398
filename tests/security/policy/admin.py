"""The access rules of the Django admin."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.security.policy.rule import ADMIN_LOGIN, Outcome, Rule, page
from tests.security.world import World

# Only staff (the supervisor) gets in; everyone else is sent to the admin's log-in page.
ADMIN: dict[str, Outcome] = {"everyone": ADMIN_LOGIN, "supervisor": 200}
# What the supervisor may not do in the admin, by model. Rows the desk's services write
# (tickets, cases, orders, logs) are not added or deleted by hand; groups (permissions)
# are the superuser's alone, so a supervisor cannot grant themselves more.
_LOGS = frozenset({"add", "delete"})
ADMIN_REFUSED: dict[str, frozenset[str]] = {
    "auth_group": frozenset({"view", "add", "change", "delete"}),
    "api_idempotencyrecord": frozenset({"add"}),
    "audit_auditentry": _LOGS,
    "audit_claimhistory": _LOGS,
    "audit_disputehistory": _LOGS,
    "audit_tickethistory": _LOGS,
    "disputes_dispute": _LOGS,
    "disputes_warrantyclaim": _LOGS,
    "faq_assistantquestion": frozenset({"add"}),
    "orders_order": _LOGS,
    "orders_shop": frozenset({"delete"}),
    "support_desk_parkedtask": frozenset({"add"}),
    "tickets_inboundmail": _LOGS,
    "tickets_notification": _LOGS,
    "tickets_ticket": _LOGS,
    "webhooks_delivery": _LOGS,
}


def _first_pk(model: Any) -> Callable[[World], Any]:
    def first(world: World) -> Any:
        pk = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        assert pk is not None, f"the world has no {model._meta.label} for the admin's pages"
        return pk

    return first


def admin_rules() -> list[Rule]:
    """Every page of every model registered in the admin, and the admin's own pages."""
    from django.contrib import admin

    rules: list[Rule] = []
    for model in admin.site._registry:
        label = f"{model._meta.app_label}_{model._meta.model_name}"
        refused = ADMIN_REFUSED.get(label, frozenset())
        obj = {"object_id": _first_pk(model)}
        base = f"admin/{model._meta.app_label}/{model._meta.model_name}/"

        def supervisor(action: str, refused: frozenset[str] = refused) -> Outcome:
            return 403 if action in refused else 200

        rules += [
            page(f"admin:{label}_changelist", base=ADMIN, supervisor=supervisor("view")),
            page(f"admin:{label}_add", base=ADMIN, supervisor=supervisor("add")),
            page(
                f"admin:{label}_history",
                args=obj,
                base=ADMIN,
                supervisor=supervisor("view"),
                # Django's history page looks the object up before the permission.
                missing={"supervisor": 302},
            ),
            page(
                f"admin:{label}_change",
                args=obj,
                base=ADMIN,
                supervisor=supervisor("change" if "view" in refused else "view"),
                missing=302,
            ),
            page(
                f"admin:{label}_delete",
                args=obj,
                base=ADMIN,
                supervisor=supervisor("delete"),
                missing=302,
            ),
            page(base + "<path:object_id>/", args=obj, base=ADMIN, supervisor=302, missing=302),
        ]
    user = {"user_id": "user"}
    rules += [
        page("admin:index", base=ADMIN),
        page("admin:login", everyone=200, supervisor=302),
        page("admin:logout", "POST", everyone=302, note="to the admin's index, or logged out"),
        page("admin:password_change", base=ADMIN),
        page("admin:password_change_done", base=ADMIN),
        page("admin:autocomplete", base=ADMIN, supervisor=403),
        page("admin:jsi18n", base=ADMIN),
        page(
            "admin:view_on_site",
            args={"content_type_id": "ticket_content_type", "object_id": "ticket"},
            base=ADMIN,
            supervisor=404,
        ),
        page("admin:accounts_user_export", "POST", args=user, base=ADMIN),
        page("admin:accounts_user_erase", args=user, base=ADMIN),
        page("admin:auth_user_password_change", args={"id": "user"}, base=ADMIN, missing=404),
        page("admin:app_list", args={"app_label": "tickets"}, base=ADMIN),
        page(
            "admin/(?P<url>.*)$",
            args={"url": "no-such-page/"},
            base=ADMIN,
            supervisor=404,
        ),
    ]
    return rules
