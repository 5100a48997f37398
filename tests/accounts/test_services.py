"""Role services: the Supervisors group follows the desk's models."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.core.management import call_command


def test_migrating_gives_the_supervisors_group_every_desk_permission(db: None) -> None:
    call_command("migrate", verbosity=0)
    group = Group.objects.get(name="Supervisors")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"change_queue", "view_ticket", "change_slapolicy", "view_faqentry"} <= codenames
    assert not group.permissions.filter(content_type__app_label="sessions").exists()
    assert Permission.objects.filter(content_type__app_label="tickets").count() == len(
        group.permissions.filter(content_type__app_label="tickets")
    )
