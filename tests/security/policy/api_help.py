"""The access rules of the help centre's API."""

from __future__ import annotations

from tests.security.policy.bodies import fixed, for_keys
from tests.security.policy.presets import SUPERVISOR_OP
from tests.security.policy.rule import Rule, op


def help_api_rules() -> list[Rule]:
    """Topics and answers (read by everyone signed in), feedback, the assistant, FAQ management."""
    entry = {"entry_id": "entry"}
    return [
        op("api:faq-topic-list", "GET", scopes=("faq:read",), ok=200, people=200),
        op(
            "api:faq-topic-list",
            "POST",
            scopes=("faq:write",),
            ok=201,
            body=fixed({"slug": "shipping", "name": {"en": "Shipping"}}),
            **SUPERVISOR_OP,
            supervisor=201,
        ),
        op(
            "api:faq-topic-manage",
            "GET",
            scopes=("faq:write",),
            ok=200,
            args={"topic": "topic"},
            **SUPERVISOR_OP,
            supervisor=200,
        ),
        op(
            "api:faq-topic-manage",
            "PATCH",
            scopes=("faq:write",),
            ok=200,
            args={"topic": "topic"},
            body=fixed({"icon": "card"}),
            **SUPERVISOR_OP,
            supervisor=200,
        ),
        op("api:faq-entry-list", "GET", scopes=("faq:read",), ok=200, people=200),
        op(
            "api:faq-suggest",
            "GET",
            scopes=("faq:read",),
            ok=200,
            body=fixed({"q": "payment"}),
            people=200,
        ),
        op("api:faq-entry-detail", "GET", scopes=("faq:read",), ok=200, args=entry, people=200),
        op(
            "api:faq-entry-detail",
            "GET",
            scopes=("faq:read",),
            ok=404,
            args={"entry_id": "draft"},
            people=404,
            note="an unpublished answer does not exist for readers",
        ),
        op(
            "api:faq-feedback",
            "POST",
            scopes=("faq:read",),
            ok=200,
            args=entry,
            body=for_keys({"helpful": True}, visitor="end-buyer-7"),
            anonymous=200,
            people=200,
        ),
        op(
            "api:assistant-ask",
            "POST",
            scopes=("faq:read",),
            ok=200,
            body=for_keys({"question": "my refund is late"}, visitor="end-buyer-7"),
            anonymous=200,
            people=200,
        ),
        op(
            "api:assistant-feedback",
            "POST",
            scopes=("faq:read",),
            ok=404,
            args={"question_id": "question"},
            body=for_keys({"helpful": True}, visitor="end-buyer-7"),
            anonymous=404,
            people=404,
            buyer_a=200,
            note="only the visitor who asked answers",
        ),
        op(
            "api:faq-manage-list",
            "GET",
            scopes=("faq:write",),
            ok=200,
            **SUPERVISOR_OP,
            supervisor=200,
        ),
        op(
            "api:faq-manage-list",
            "POST",
            scopes=("faq:write",),
            ok=201,
            body=fixed(
                {
                    "topic": "payment",
                    "slug": "new-answer",
                    "translations": [{"language": "en", "question": "New?", "answer": "Yes."}],
                }
            ),
            **SUPERVISOR_OP,
            supervisor=201,
        ),
        *(
            op(
                "api:faq-manage-detail",
                method,
                scopes=("faq:write",),
                ok=200,
                args={"entry_id": "draft"},
                body=body,
                **SUPERVISOR_OP,
                supervisor=200,
            )
            for method, body in (("GET", None), ("PATCH", fixed({"sort_weight": 5})))
        ),
        *(
            op(
                route,
                "POST",
                scopes=("faq:write",),
                ok=200,
                args={"entry_id": "draft"},
                **SUPERVISOR_OP,
                supervisor=200,
            )
            for route in ("api:faq-manage-publish", "api:faq-manage-unpublish")
        ),
        op(
            "api:faq-manage-translation",
            "PUT",
            scopes=("faq:write",),
            ok=200,
            args={"entry_id": "draft", "language": "ru"},
            body=fixed({"question": "Черновик?", "answer": "Да."}),
            **SUPERVISOR_OP,
            supervisor=200,
        ),
        op(
            "api:faq-manage-translation",
            "DELETE",
            scopes=("faq:write",),
            ok=200,
            args={"entry_id": "draft", "language": "ru"},
            **SUPERVISOR_OP,
            supervisor=200,
        ),
    ]
