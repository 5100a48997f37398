"""Output shapes of the foundation endpoints."""

from __future__ import annotations

from django.conf import settings
from rest_framework import serializers

from accounts.models import User


class ApiKeyInfoSerializer(serializers.Serializer):
    name = serializers.CharField()
    prefix = serializers.CharField()
    scopes = serializers.ListField(child=serializers.CharField())


class MeOutputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=["user", "api_key"],
        help_text="`user` for a signed-in person (session), `api_key` for an integrator key.",
    )
    username = serializers.CharField(allow_null=True)
    role = serializers.CharField(allow_null=True)
    language = serializers.CharField(allow_null=True)
    api_key = ApiKeyInfoSerializer(allow_null=True)


class BuyerOutputSerializer(serializers.ModelSerializer):
    preferred_language = serializers.ChoiceField(
        choices=settings.LANGUAGES,  # with names: one enum with accounts' own choice set
        allow_blank=True,
        read_only=True,
        help_text="Pages and emails use this language; empty: the request's language.",
    )

    class Meta:
        model = User
        fields = (
            "id",
            "username",
            "email",
            "first_name",
            "last_name",
            "preferred_language",
            "date_joined",
        )
        read_only_fields = fields


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable snake_case error code.")
    message = serializers.CharField()
    details = serializers.JSONField(allow_null=True)


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()
