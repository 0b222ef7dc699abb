"""What the person pages show, gathered in one place so the views stay short."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from socex.audit.access import can_read_audit
from socex.people.access import can_merge, markers_visible_to
from socex.people.links import linked_records
from socex.people.models import Merge, Person
from socex.sharing.access import MANAGE as SHARING_MANAGE
from socex.sharing.services import shares_for

if TYPE_CHECKING:
    from socex.accounts.models import User


def person_page_context(user: User, person: Person) -> dict[str, Any]:
    """Everything the person page shows about ``person`` to ``user`` (who may see them)."""
    editable = Person.objects.editable_by(user).filter(pk=person.pk).exists() and not person.is_merged
    markers = list(markers_visible_to(user, person))
    return {
        "page_title": f"{person.display_name} ({person.reference})",
        "person": person,
        "aliases": person.aliases.all(),
        "identifiers": person.identifiers.all(),
        "addresses": person.addresses.all(),
        "phones": person.phones.all(),
        "emails": person.emails.all(),
        "current_markers": [m for m in markers if m.is_current],
        "markers": markers,
        "holdings": person.holdings.select_related("organisation"),
        "linked_groups": linked_records(person, user),
        "shares": shares_for(person).visible_to(user).active().select_related("organisation", "legal_basis"),
        "can_edit": editable,
        "can_share": editable and user.has_cap(SHARING_MANAGE),
        "can_merge": can_merge(user) and not person.is_merged,
        "can_audit": can_read_audit(user),
        **_merge_context(user, person),
    }


def _merge_context(user: User, person: Person) -> dict[str, Any]:
    """Which record this one was merged into (if any), and the merges the user may undo."""
    merged_into_visible = (
        person.merged_into_id is not None and Person.objects.visible_to(user).filter(pk=person.merged_into_id).exists()
    )
    active = Merge.objects.filter(undone_at__isnull=True).select_related("survivor", "merged", "merged_by")
    return {
        "merged_into_visible": merged_into_visible,
        "merge_into": active.filter(merged=person).first() if person.is_merged else None,
        "merges_in": list(active.filter(survivor=person)) if can_merge(user) else [],
        "can_unmerge": can_merge(user),
    }
