from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from socex.accounts.access import ApiTokenQuerySet, OrganisationQuerySet, RoleQuerySet, TeamQuerySet, UserQuerySet
from socex.accounts.capabilities import CAPABILITIES

if TYPE_CHECKING:
    from socex.areas.models import LPA


class OrganisationType(models.TextChoices):
    POLICE = "police", "Police"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    CHILDRENS_SERVICES = "childrens_services", "Children's services"
    EARLY_HELP = "early_help", "Early Help"
    EDUCATION = "education", "Education"
    HEALTH = "health", "Health"
    PROBATION = "probation", "Probation"
    VOLUNTARY_SECTOR = "voluntary_sector", "Voluntary sector"
    VRP = "vrp", "Violence Reduction Partnership"
    OTHER = "other", "Other"


class Organisation(models.Model):
    """An agency. Every record belongs to one; every user works for one."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200, unique=True)
    org_type = models.CharField("type", max_length=32, choices=OrganisationType.choices)
    lpa = models.ForeignKey(
        "areas.LPA",
        verbose_name="local policing area",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
        help_text="Leave empty for force-wide or regional organisations.",
    )
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=32, blank=True)
    is_active = models.BooleanField(default=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_police(self) -> bool:
        return self.org_type == OrganisationType.POLICE


class Team(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)
    hub = models.ForeignKey("areas.Hub", null=True, blank=True, on_delete=models.PROTECT, related_name="teams")

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="team_name_unique_in_org")]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation.name})"


class Role(models.Model):
    """A named bundle of capabilities. Roles are data; administrators edit them in the app."""

    code = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    capabilities = models.JSONField(default=list)
    police_only = models.BooleanField(
        default=False, help_text="Only users in a police organisation may hold this role."
    )

    objects = RoleQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def unknown_capabilities(self) -> list[str]:
        return [c for c in self.capabilities if c not in CAPABILITIES]


_UserManagerBase = BaseUserManager.from_queryset(UserQuerySet)


class UserManager(_UserManagerBase):  # type: ignore[valid-type,misc]
    """Accounts are created only through the audited services (socex.accounts.services).

    ``create_superuser`` stays because ``manage.py createsuperuser`` calls it; it hands over to
    the audited ``support_user_create``. ``create_user`` refuses rather than write a user the
    audit log never hears of.
    """

    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        raise NotImplementedError(
            "Create accounts with socex.accounts.services.user_create, which audits them and issues a "
            "one-time password (or manage.py create_administrator for the first administrator)."
        )

    def get_by_natural_key(self, username: str | None) -> User:
        # Email addresses are stored in lower case; people type them in any case.
        return self.get(email__iexact=username)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        from socex.accounts.services import support_user_create
        from socex.core.context import acting_as

        with acting_as(None, channel="command"):
            return support_user_create(email=email, full_name=str(extra.get("full_name", "")), password=password)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Signs in by email; belongs to one organisation."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members")
    roles = models.ManyToManyField(Role, blank=True, related_name="users")
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="May use the Django admin site.")
    date_joined = models.DateTimeField(default=timezone.now)
    must_change_password = models.BooleanField(
        default=False,
        help_text="Set when an administrator gives a one-time password; the user chooses their own at next sign-in.",
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.email.lower()

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def capabilities(self) -> frozenset[str]:
        """Every capability this user's roles grant (cached on the instance for the request)."""
        cached: frozenset[str] | None = getattr(self, "_capabilities_cache", None)
        if cached is None:
            if not self.is_active:
                cached = frozenset()
            else:
                caps: set[str] = set()
                for role_caps in self.roles.values_list("capabilities", flat=True):
                    caps.update(role_caps or [])
                cached = frozenset(caps)
            self._capabilities_cache = cached
        return cached

    def has_cap(self, code: str) -> bool:
        return code in self.capabilities

    @property
    def is_police(self) -> bool:
        return self.organisation is not None and self.organisation.is_police

    @property
    def lpa(self) -> LPA | None:
        return self.organisation.lpa if self.organisation else None


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 of the secret is stored; the secret is shown once."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, unique=True, help_text="The first characters, to recognise it.")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=models.F("created_at")),
                name="api_token_expires_after_created",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now: Any = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now) and self.user.is_active

    @property
    def status(self) -> str:
        if self.revoked_at:
            return "Revoked"
        if self.expires_at and self.expires_at <= timezone.now():
            return "Expired"
        return "Active"
