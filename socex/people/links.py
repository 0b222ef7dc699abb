"""The records in other apps that point at a person, for the person page and for merging.

Any model outside the people app with a ``ForeignKey``, ``OneToOneField`` or ``ManyToManyField``
to :class:`~socex.people.models.Person` is a *link* (a case's subject, a referral's child, an
intelligence report's entities). They are found from ``Person._meta.related_objects``, so a
new app's links are moved by a merge without anyone remembering to list them.

What a person page shows of them is stricter: a link appears only when its app says who may see
its records. An app does that in its ``AppConfig.ready``::

    from socex.people.links import register_link

    register_link(Case, "subjects", label="Cases", visible_to=lambda user: Case.objects.visible_to(user))

Without a registration, a model whose manager has ``visible_to(user)`` (every
:class:`~socex.core.access.ProtectedQuerySet`) uses that; any other model's records are never
shown, because nothing says who may see them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db import models

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from socex.accounts.models import User
    from socex.people.models import Person

    Viewer = User | AnonymousUser

VisibleTo = Callable[["Viewer"], models.QuerySet[Any]]
RecordUrl = Callable[[models.Model], str]

PEOPLE_APP = "people"


@dataclass(frozen=True)
class Link:
    """One relation from another app's model to Person, and how to show it."""

    model: type[models.Model]
    field: str
    label: str
    visible_to: VisibleTo | None = None
    url: RecordUrl | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.model._meta.label_lower, self.field)


@dataclass
class LinkGroup:
    """The records of one link that a viewer may see, for the person page."""

    label: str
    records: list[models.Model]
    urls: list[str]

    @property
    def rows(self) -> list[tuple[models.Model, str]]:
        return list(zip(self.records, self.urls, strict=True))


_registry: dict[tuple[str, str], Link] = {}


def _person_model() -> type[models.Model]:
    return apps.get_model("people", "Person")


def _check_points_at_person(model: type[models.Model], field: str) -> None:
    try:
        relation = model._meta.get_field(field)
    except Exception as error:  # FieldDoesNotExist: say which model and field
        raise ValueError(f"{model._meta.label} has no field {field!r}.") from error
    points_at_person = relation.is_relation and relation.related_model is _person_model()
    if not points_at_person or not (relation.concrete or relation.many_to_many):
        raise ValueError(f"{model._meta.label}.{field} is not a ForeignKey or ManyToManyField to Person.")


def register_link(
    model: type[models.Model],
    field: str,
    *,
    visible_to: VisibleTo | None = None,
    label: str = "",
    url: RecordUrl | None = None,
) -> Link:
    """Show ``model`` records whose ``field`` points at a person on that person's page.

    ``visible_to(user)`` returns the queryset of ``model`` the user may see (defaults to
    ``model.objects.visible_to``); ``label`` names the group (defaults to the model's plural
    name); ``url(record)`` links each record (defaults to ``get_absolute_url`` when defined).
    Registering the same model and field again replaces the earlier registration.
    """
    _check_points_at_person(model, field)
    link = Link(
        model=model,
        field=field,
        label=label or str(model._meta.verbose_name_plural).capitalize(),
        visible_to=visible_to,
        url=url,
    )
    _registry[link.key] = link
    return link


def unregister_link(model: type[models.Model], field: str) -> None:
    """Forget a registration (for tests, and for apps that stop linking)."""
    _registry.pop((model._meta.label_lower, field), None)


def linked_fields() -> list[tuple[type[models.Model], str]]:
    """Every (model, field name) outside the people app whose field is a ForeignKey,
    OneToOneField or ManyToManyField to Person, in a stable order: what a merge moves to the
    survivor and what a person page may show. The people app's own parts (aliases,
    addresses...) are not included: the merge service handles those by its survivorship rules."""
    pairs = set()
    # include_hidden: a relation declared with related_name="+" is a link all the same.
    reverse_relations = [
        f for f in _person_model()._meta.get_fields(include_hidden=True) if f.auto_created and not f.concrete
    ]
    for relation in reverse_relations:
        model = relation.related_model
        if not isinstance(model, type) or model._meta.app_label == PEOPLE_APP or model._meta.auto_created:
            continue  # an auto-created through table is reached through its ManyToManyField
        field = relation.field  # type: ignore[union-attr]
        if field.model is model and (field.concrete or field.many_to_many):
            pairs.add((model, field.name))
    return sorted(pairs, key=lambda pair: (pair[0]._meta.label_lower, pair[1]))


def _default_visible_to(model: type[models.Model]) -> VisibleTo | None:
    manager = model._default_manager
    if callable(getattr(manager, "visible_to", None)):
        return manager.visible_to  # type: ignore[attr-defined, no-any-return]
    return None


def links_for_page() -> list[Link]:
    """The links a person page may show: registered ones, then discovered models whose manager has
    ``visible_to``. Others are left out: nothing says who may see them."""
    links = dict(_registry)
    for model, field in linked_fields():
        key = (model._meta.label_lower, field)
        if key not in links and _default_visible_to(model) is not None:
            label = str(model._meta.verbose_name_plural).capitalize()
            links[key] = Link(model=model, field=field, label=label)
    return sorted(links.values(), key=lambda link: (link.label, link.key))


def _record_url(link: Link, record: models.Model) -> str:
    if link.url is not None:
        return link.url(record)
    get_absolute_url = getattr(record, "get_absolute_url", None)
    return str(get_absolute_url()) if callable(get_absolute_url) else ""


def linked_records(person: Person, user: Viewer, *, links: Iterable[Link] | None = None) -> list[LinkGroup]:
    """The records pointing at ``person`` that ``user`` may see, one group per link, in label order.

    A link with nothing visible is left out, so the page never hints at records the viewer may
    not see. People merged into this one are included: their links moved with the merge.
    """
    groups = []
    for link in links_for_page() if links is None else links:
        visible_to = link.visible_to or _default_visible_to(link.model)
        if visible_to is None:
            continue
        records = list(visible_to(user).filter(**{link.field: person}).distinct()[:200])
        if records:
            groups.append(LinkGroup(link.label, records, [_record_url(link, r) for r in records]))
    return groups
