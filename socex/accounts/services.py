"""Every change to accounts: users, roles, organisations, teams, passwords, MFA and API tokens.

Each function is one state change: keyword-only, atomic, and it writes its own audit event
(old -> new values for edits). Rules that protect the access model are checked here, not only
in forms, so the admin pages, commands and the API cannot bypass them:

* a police-only role can be held only by someone in a police organisation;
* a user's team belongs to their organisation;
* an administrator cannot switch off their own account or remove their own ``users.manage``,
  and no change may leave the service without an active administrator.

Bad input raises ``ValidationError`` with a message per field; nothing is written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from socex.accounts.access import MANAGE, SignInLockQuerySet, sign_in_locks
from socex.accounts.capabilities import CAPABILITIES, POLICE_ONLY
from socex.accounts.models import ApiToken, Organisation, Role, Team, User
from socex.areas.models import LPA, Hub
from socex.audit.models import Action
from socex.audit.services import diff, record, record_change, record_create, snapshot

USER_FIELDS = ("email", "full_name", "job_title", "organisation", "team", "roles", "is_active")
ROLE_FIELDS = ("code", "name", "description", "capabilities", "police_only")
ORGANISATION_FIELDS = ("name", "org_type", "lpa", "contact_email", "contact_phone", "is_active")
TEAM_FIELDS = ("organisation", "name", "hub")
TOKEN_FIELDS = ("user", "name", "prefix", "expires_at")

TOKEN_MAX_DAYS = 365
TOKEN_DEFAULT_DAYS = 90
TOKEN_PREFIX = "sx_"  # noqa: S105 - marks our tokens in logs and secret scanners, not a secret
# Letters and digits that cannot be confused when read aloud or copied by hand (no 0/O, 1/l/I).
_ONE_TIME_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


# --- Checks shared by the user and role services ---------------------------------------------


def _police_only_roles_refused(organisation: Organisation | None, roles: Iterable[Role]) -> list[Role]:
    if organisation is not None and organisation.is_police:
        return []
    return [role for role in roles if role.police_only]


def _check_roles_allowed(organisation: Organisation | None, roles: Iterable[Role]) -> None:
    refused = _police_only_roles_refused(organisation, roles)
    if refused:
        names = ", ".join(role.name for role in refused)
        raise ValidationError(
            {
                "roles": f"{names} can only be given to people in a police organisation. "
                "Remove the role or choose a police organisation."
            }
        )


def _check_team(organisation: Organisation | None, team: Team | None) -> None:
    if team is not None and (organisation is None or team.organisation_id != organisation.pk):
        raise ValidationError({"team": "Choose a team in the person's own organisation, or no team."})


def _check_email_free(email: str, *, except_user: User | None = None) -> None:
    clashes = User.objects.filter(email__iexact=email)
    if except_user is not None:
        clashes = clashes.exclude(pk=except_user.pk)
    if clashes.exists():
        raise ValidationError({"email": "There is already an account with this email address."})


def _active_administrators() -> set[str]:
    """The ids of active users holding ``users.manage``, read from the database."""
    holding = [role.pk for role in Role.objects.all() if MANAGE in (role.capabilities or [])]
    return {str(pk) for pk in User.objects.filter(is_active=True, roles__in=holding).values_list("pk", flat=True)}


def _check_administrator_remains(*, message: str) -> None:
    """Called inside the transaction, after the change: refuse it if nobody can manage users."""
    if not _active_administrators():
        raise ValidationError(message)


def _one_time_password() -> str:
    groups = ["".join(secrets.choice(_ONE_TIME_ALPHABET) for _ in range(4)) for _ in range(4)]
    return "-".join(groups)


# --- Users -------------------------------------------------------------------------------------


@transaction.atomic
def user_create(
    *,
    email: str,
    full_name: str,
    job_title: str = "",
    organisation: Organisation,
    team: Team | None = None,
    roles: Sequence[Role] = (),
    password: str | None = None,
) -> tuple[User, str]:
    """Create an account and return it with its initial password.

    Without ``password`` a one-time password is generated, to give to its owner: they must
    choose their own when they first sign in (``must_change_password``). A ``password`` given
    here (the demo seeding does this) must pass the password rules and is kept as it is.
    Only a hash of either is stored.
    """
    email = email.strip().lower()
    _check_email_free(email)
    _check_team(organisation, team)
    _check_roles_allowed(organisation, roles)
    must_change = password is None
    if password is None:
        password = _one_time_password()
    user = User(
        email=email,
        full_name=full_name.strip(),
        job_title=job_title.strip(),
        organisation=organisation,
        team=team,
        must_change_password=must_change,
    )
    if not must_change:
        password_validation.validate_password(password, user)
    user.set_password(password)
    user.save(force_insert=True)
    user.roles.set(roles)
    record_create(user, fields=USER_FIELDS)
    return user, password


@transaction.atomic
def support_user_create(*, email: str, full_name: str, password: str | None) -> User:
    """Create a support account for the read-only Django admin (``manage.py createsuperuser``).

    It is staff and superuser but belongs to no organisation and holds no roles, so in the app
    itself it has no capability: it sees the (read-only) Django admin and its own account page.
    ``password`` must pass the password rules; ``None`` leaves no usable password. Audited like
    any new account, with the staff and superuser flags.
    """
    email = email.strip().lower()
    _check_email_free(email)
    user = User(email=email, full_name=full_name.strip(), is_staff=True, is_superuser=True)
    if password is None:
        user.set_unusable_password()
    else:
        password_validation.validate_password(password, user)
        user.set_password(password)
    user.save(force_insert=True)
    record_create(user, fields=(*USER_FIELDS, "is_staff", "is_superuser"))
    return user


@transaction.atomic
def user_update(
    *,
    user: User,
    by: User,
    email: str,
    full_name: str,
    job_title: str,
    organisation: Organisation,
    team: Team | None,
    roles: Sequence[Role],
) -> User:
    """Change a user's details, organisation, team and roles; audited as old -> new."""
    email = email.strip().lower()
    _check_email_free(email, except_user=user)
    _check_team(organisation, team)
    _check_roles_allowed(organisation, roles)
    if user.pk == by.pk and user.has_cap(MANAGE) and not any(MANAGE in (r.capabilities or []) for r in roles):
        raise ValidationError(
            {"roles": "You cannot remove your own right to manage users. Ask another administrator to do it."}
        )
    before = snapshot(User.objects.get(pk=user.pk), USER_FIELDS)
    user.email, user.full_name, user.job_title = email, full_name.strip(), job_title.strip()
    user.organisation, user.team = organisation, team
    user.save(update_fields=["email", "full_name", "job_title", "organisation", "team"])
    user.roles.set(roles)
    user.__dict__.pop("_capabilities_cache", None)
    record_change(user, before=before, fields=USER_FIELDS)
    return user


@transaction.atomic
def user_set_active(*, user: User, by: User, active: bool) -> User:
    """Switch an account on or off. A switched-off user cannot sign in and their API tokens stop working.

    Switching off also revokes every live API token (each audited), so switching the account
    on again, perhaps years later, does not bring back tokens left in old scripts or laptops.
    """
    if user.pk == by.pk and not active:
        raise ValidationError("You cannot switch off your own account. Ask another administrator to do it.")
    before = snapshot(user, ["is_active"])
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        _check_administrator_remains(
            message="This is the last active administrator. Give someone else the administrator role first."
        )
    record_change(user, before=before, fields=["is_active"])
    if not active:
        for token in ApiToken.objects.filter(user=user, revoked_at__isnull=True):
            api_token_revoke(token=token)
    return user


@transaction.atomic
def user_reset_password(*, user: User) -> str:
    """Give ``user`` a new one-time password (returned once); they must replace it at next sign-in.

    Changing the password also ends the user's other sessions (Django checks the password
    hash held in each session).
    """
    password = _one_time_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    record(Action.UPDATE, obj=user, detail={"event": "password_reset_by_administrator"})
    return password


@transaction.atomic
def user_change_password(*, user: User, new_password: str) -> User:
    """The user sets their own password (after a one-time password, or from Your account)."""
    password_validation.validate_password(new_password, user)
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    record(Action.UPDATE, obj=user, actor=user, detail={"event": "password_changed"})
    return user


@transaction.atomic
def user_reset_mfa(*, user: User) -> int:
    """Remove every authenticator app from ``user``; they set one up again at next sign-in.

    Returns how many devices were removed. Used when someone loses their phone.
    """
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    record(Action.MFA, obj=user, detail={"event": "reset", "devices_removed": removed})
    return removed


# --- Roles -----------------------------------------------------------------------------------


def _check_capabilities(capabilities: Sequence[str], police_only: bool) -> None:
    unknown = [code for code in capabilities if code not in CAPABILITIES]
    if unknown:
        raise ValidationError({"capabilities": f"Unknown capabilities: {', '.join(unknown)}."})
    police = sorted(set(capabilities) & POLICE_ONLY)
    if police and not police_only:
        raise ValidationError(
            {
                "police_only": "A role that grants police-only capabilities "
                f"({', '.join(police)}) must be marked police only."
            }
        )


@transaction.atomic
def role_create(*, code: str, name: str, description: str, capabilities: Sequence[str], police_only: bool) -> Role:
    """Create a role granting ``capabilities``."""
    _check_capabilities(capabilities, police_only)
    if Role.objects.filter(code=code).exists():
        raise ValidationError({"code": "There is already a role with this code."})
    if Role.objects.filter(name__iexact=name.strip()).exists():
        raise ValidationError({"name": "There is already a role with this name."})
    role = Role(
        code=code,
        name=name.strip(),
        description=description.strip(),
        capabilities=sorted(set(capabilities)),
        police_only=police_only,
    )
    role.save(force_insert=True)
    record_create(role, fields=ROLE_FIELDS)
    return role


@transaction.atomic
def role_update(*, role: Role, name: str, description: str, capabilities: Sequence[str], police_only: bool) -> Role:
    """Change a role's name, description, capabilities and police-only flag; audited as old -> new.

    Refused if it would leave someone outside the police holding a police-only role, or
    leave nobody able to manage users.
    """
    _check_capabilities(capabilities, police_only)
    if Role.objects.filter(name__iexact=name.strip()).exclude(pk=role.pk).exists():
        raise ValidationError({"name": "There is already a role with this name."})
    if police_only:
        outsiders = role.users.exclude(organisation__org_type="police")
        if outsiders.exists():
            raise ValidationError(
                {
                    "police_only": f"{outsiders.count()} people outside the police hold this role. "
                    "Remove it from them before marking it police only."
                }
            )
    before = snapshot(role, ROLE_FIELDS)
    role.name, role.description = name.strip(), description.strip()
    role.capabilities, role.police_only = sorted(set(capabilities)), police_only
    role.save(update_fields=["name", "description", "capabilities", "police_only"])
    _check_administrator_remains(
        message="No active user would be able to manage users. Keep “Manage users, roles and organisations” "
        "on this role, or give another role to an administrator first."
    )
    record_change(role, before=before, fields=ROLE_FIELDS)
    return role


# --- Organisations and teams -------------------------------------------------------------------


def _check_organisation_name_free(name: str, *, except_organisation: Organisation | None = None) -> None:
    clashes = Organisation.objects.filter(name__iexact=name)
    if except_organisation is not None:
        clashes = clashes.exclude(pk=except_organisation.pk)
    if clashes.exists():
        raise ValidationError({"name": "There is already an organisation with this name."})


@transaction.atomic
def organisation_create(
    *,
    name: str,
    org_type: str,
    lpa: LPA | None = None,
    contact_email: str = "",
    contact_phone: str = "",
) -> Organisation:
    """Add an agency (police, council, school, charity...) that users and records belong to."""
    name = name.strip()
    _check_organisation_name_free(name)
    organisation = Organisation(
        name=name, org_type=org_type, lpa=lpa, contact_email=contact_email.strip(), contact_phone=contact_phone.strip()
    )
    organisation.full_clean()
    organisation.save(force_insert=True)
    record_create(organisation, fields=ORGANISATION_FIELDS)
    return organisation


@transaction.atomic
def organisation_update(
    *,
    organisation: Organisation,
    name: str,
    org_type: str,
    lpa: LPA | None,
    contact_email: str,
    contact_phone: str,
    is_active: bool,
) -> Organisation:
    """Change an organisation. Refused if it would stop being police while its people hold police-only roles."""
    name = name.strip()
    _check_organisation_name_free(name, except_organisation=organisation)
    if organisation.is_police and org_type != "police":
        holders = organisation.users.filter(roles__police_only=True).distinct()
        if holders.exists():
            raise ValidationError(
                {
                    "org_type": f"{holders.count()} people here hold police-only roles. "
                    "Change their roles before changing the type."
                }
            )
    before = snapshot(Organisation.objects.get(pk=organisation.pk), ORGANISATION_FIELDS)
    organisation.name, organisation.org_type, organisation.lpa = name, org_type, lpa
    organisation.contact_email, organisation.contact_phone = contact_email.strip(), contact_phone.strip()
    organisation.is_active = is_active
    organisation.full_clean()
    organisation.save(update_fields=list(ORGANISATION_FIELDS))
    record_change(organisation, before=before, fields=ORGANISATION_FIELDS)
    return organisation


def _check_team_name_free(organisation: Organisation, name: str, *, except_team: Team | None = None) -> None:
    clashes = Team.objects.filter(organisation=organisation, name__iexact=name)
    if except_team is not None:
        clashes = clashes.exclude(pk=except_team.pk)
    if clashes.exists():
        raise ValidationError({"name": f"{organisation.name} already has a team with this name."})


@transaction.atomic
def team_create(*, organisation: Organisation, name: str, hub: Hub | None = None) -> Team:
    """Add a team to ``organisation``, optionally based in a SOCEX hub."""
    name = name.strip()
    _check_team_name_free(organisation, name)
    team = Team(organisation=organisation, name=name, hub=hub)
    team.save(force_insert=True)
    record_create(team, fields=TEAM_FIELDS)
    return team


@transaction.atomic
def team_update(*, team: Team, name: str, hub: Hub | None) -> Team:
    """Rename a team or change its hub."""
    name = name.strip()
    _check_team_name_free(team.organisation, name, except_team=team)
    before = snapshot(Team.objects.select_related("organisation", "hub").get(pk=team.pk), TEAM_FIELDS)
    team.name, team.hub = name, hub
    team.save(update_fields=["name", "hub"])
    record_change(team, before=before, fields=TEAM_FIELDS)
    return team


# --- API tokens ---------------------------------------------------------------------------------


def hash_token(secret: str) -> str:
    """The SHA-256 stored for a token. The secret has 256 random bits, so no salt or slow hash is needed."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _new_token_secret() -> tuple[str, str]:
    while True:
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        prefix = secret[:12]
        if not ApiToken.objects.filter(prefix=prefix).exists():
            return secret, prefix


@transaction.atomic
def api_token_create(*, user: User, name: str, expires_in_days: int = TOKEN_DEFAULT_DAYS) -> tuple[ApiToken, str]:
    """Create a personal API token for ``user`` and return it with its secret, which is never stored."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Enter a name for the token, for example the script that will use it."})
    if not 1 <= expires_in_days <= TOKEN_MAX_DAYS:
        raise ValidationError({"expires_in_days": f"Enter a number of days from 1 to {TOKEN_MAX_DAYS}."})
    if not user.is_active:
        raise ValidationError("A switched-off account cannot have API tokens.")
    secret, prefix = _new_token_secret()
    now = timezone.now()
    token = ApiToken(
        user=user,
        name=name,
        prefix=prefix,
        key_hash=hash_token(secret),
        created_at=now,
        expires_at=now + dt.timedelta(days=expires_in_days),
    )
    token.save(force_insert=True)
    record(Action.TOKEN, obj=token, changes=diff({}, snapshot(token, TOKEN_FIELDS)), detail={"event": "created"})
    return token, secret


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke a token at once. Revoking an already revoked token changes nothing."""
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record(
        Action.TOKEN,
        obj=token,
        changes={"revoked_at": [None, snapshot(token, ["revoked_at"])["revoked_at"]]},
        detail={"event": "revoked", "owner": token.user.email},
    )
    return token


# --- Sign-in lockouts (django-axes) --------------------------------------------------------------


def locked_out_attempts(user: User, now: dt.datetime | None = None) -> SignInLockQuerySet:
    """Email and IP pairs locked now, as ``user`` may see them: at the failure limit, within the cool-off."""
    now = now or timezone.now()
    attempts = sign_in_locks().visible_to(user).filter(failures_since_start__gte=get_failure_limit(None, None))
    cool_off = get_cool_off()
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gt=now - cool_off)
    return attempts


@transaction.atomic
def sign_in_unlock(*, attempt: AccessAttempt) -> None:
    """Clear the failed sign-ins of one email and IP pair, so they can try again at once."""
    detail = {"event": "sign_in_unlocked", "email": attempt.username, "ip_address": attempt.ip_address}
    record(Action.DELETE, obj=attempt, detail={**detail, "failures": attempt.failures_since_start})
    attempt.delete()


# --- Two-factor authentication (TOTP) --------------------------------------------------------------


@dataclass(frozen=True)
class CodeCheck:
    """The result of checking a 6-digit code: ``device`` when it was right, else an ``error`` to show."""

    device: TOTPDevice | None = None
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.device is not None


WRONG_CODE = "The code is not correct or has expired. Enter the code your authenticator app shows now."


def _throttled_message(locked_until: dt.datetime | None) -> str:
    wait = max(1, int((locked_until - timezone.now()).total_seconds()) + 1) if locked_until else 1
    seconds = "1 second" if wait == 1 else f"{wait} seconds"
    return f"Too many wrong codes. Wait {seconds}, then enter the code your authenticator app shows."


def has_confirmed_device(user: User) -> bool:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def has_confirmed_device_expression() -> Exists:
    """``has_confirmed_device`` as a query expression, for filtering or annotating many users."""
    return Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))


@transaction.atomic
def mfa_start_enrolment(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator for ``user`` to scan, created on first use so reloading keeps its secret."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
        record(Action.MFA, obj=user, actor=user, detail={"event": "enrolment_started"})
    return device


def _check_code(user: User, device: TOTPDevice, code: str, event: str) -> CodeCheck:
    """Check ``code`` against ``device`` (django-otp counts and throttles failures) and audit the result."""
    allowed, why = device.verify_is_allowed()
    if not allowed:
        locked_until = (why or {}).get("locked_until")
        record(Action.MFA, obj=user, actor=user, detail={"event": f"{event}_throttled"})
        return CodeCheck(error=_throttled_message(locked_until))
    if not device.verify_token(code):
        record(
            Action.MFA,
            obj=user,
            actor=user,
            detail={"event": f"{event}_failed", "failures": device.throttling_failure_count},
        )
        return CodeCheck(error=WRONG_CODE)
    return CodeCheck(device=device)


@transaction.atomic
def mfa_confirm_enrolment(*, user: User, device: TOTPDevice, code: str) -> CodeCheck:
    """Confirm a new authenticator with a code from it; it then replaces any the user had before."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
    result = _check_code(user, device, code, "enrolment")
    if result.ok:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        record(Action.MFA, obj=user, actor=user, detail={"event": "enrolled"})
    return result


@transaction.atomic
def mfa_verify(*, user: User, code: str) -> CodeCheck:
    """Check the code a user gives at sign-in against their confirmed authenticator."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=True).select_for_update().order_by("-id").first()
    if device is None:
        return CodeCheck(error="You have not set up an authenticator app yet.")
    result = _check_code(user, device, code, "verification")
    if result.ok:
        record(Action.MFA, obj=user, actor=user, detail={"event": "verified"})
    return result
