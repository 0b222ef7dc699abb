"""Synthetic case work at scale, for the speed benchmark (``manage.py synth_cases``).

Makes, by default, 50,000 cases with their subjects and one risk review each, 100,000 referrals
(most triaged, some waiting in the queue), 500,000 chronology entries (one case holds 1,000 of
them, for the PDF export figure), 200,000 safeguarding-plan actions and 5,000 shares of cases
with partner agencies. Rows go in with ``bulk_create``: these are made-up records for measuring
pages, not case work, so the services (and their per-row audit events) are bypassed on purpose;
one IMPORT event records the run. Everything is synthetic: Faker en_GB names, made-up
summaries. It never runs in production.

It needs the reference geography (``manage.py load_reference``). It reuses the police and
partner organisations it finds by name and adds the synthetic staff it needs
(``synth.*@synth.socex.example``, no usable password).
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from faker import Faker

from socex.accounts.models import Organisation, OrganisationType, Role, User
from socex.areas.models import LPA
from socex.audit.models import Action
from socex.audit.services import record
from socex.cases.models import Case, CaseStatus, CaseSubject, ChronologyEntry, ChronologyKind, RiskReview
from socex.cases.vocab import ExploitationType, NoteCategory, RiskLevel

SYNTH_DOMAIN = "synth.socex.example"
POLICE = "West Midlands Police"
BATCH = 5000
YEARS_BACK = 3


class SynthRefused(Exception):
    """The generator cannot run here; the message says why and what to do."""


@dataclass(frozen=True)
class SynthCounts:
    cases: int = 50_000
    referrals: int = 100_000
    chronology: int = 500_000
    actions: int = 200_000
    shares: int = 5_000
    big_chronology: int = 1_000
    police_users: int = 40
    partner_users_per_org: int = 2


SYSTEM_EVENTS = (
    ("case", "Case details changed: summary"),
    ("referral", "New referral added to the case"),
    ("triage", "Referral accepted into the case"),
    ("risk_review", "Risk review: At risk (unchanged)"),
    ("action", "Plan action completed"),
    ("action", "Plan action agreed"),
    ("mace", "Discussed at the MACE meeting"),
    ("nrm", "NRM referral submitted"),
    ("flag", "Flag added: Goes missing"),
)
NOTES = (
    "Home visit: spoke with the child and their mum",
    "Phone call with the school's designated safeguarding lead",
    "Missing overnight; found the next morning",
    "Seen in the town centre late at night with older males",
    "Strategy discussion with children's social care",
    "Return interview completed",
    "Attended the mentoring session",
)
STATUS_WEIGHTS = ((CaseStatus.OPEN, 80), (CaseStatus.CLOSURE_REQUESTED, 3), (CaseStatus.CLOSED, 17))
RISK_WEIGHTS = ((RiskLevel.SIGNIFICANT, 30), (RiskLevel.AT_RISK, 55), (RiskLevel.NO_CURRENT_RISK, 15))


def check_can_synthesise() -> list[LPA]:
    if getattr(settings, "MODE", "production") == "production":
        raise SynthRefused(
            "synth_cases fills the database with made-up cases, so it never runs in production "
            "(SOCEX_MODE=production). Use SOCEX_MODE=demo on a database of its own."
        )
    lpas = list(LPA.objects.order_by("code"))
    if not lpas:
        raise SynthRefused("There are no LPAs: run `manage.py load_reference` first, then synth_cases again.")
    return lpas


def _weighted(rng: random.Random, pairs: Iterable[tuple[Any, int]]) -> Any:
    items = list(pairs)
    return rng.choices([value for value, _ in items], weights=[weight for _, weight in items])[0]


def _batches[T](items: Iterable[T], size: int = BATCH) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


class _Numbers:
    """Human references ``PREFIX-YYYY-NNNNNN``, continuing after the highest already used each year."""

    def __init__(self, model: type[models.Model], prefix: str) -> None:
        self.model, self.prefix = model, prefix
        self.last: dict[int, int] = {}

    def next(self, year: int) -> str:
        if year not in self.last:
            start = f"{self.prefix}-{year}-"
            found = (
                self.model._default_manager.filter(reference__startswith=start)
                .order_by("-reference")
                .values_list("reference", flat=True)
                .first()
            )
            self.last[year] = int(str(found).removeprefix(start)) if found else 0
        self.last[year] += 1
        return f"{self.prefix}-{year}-{self.last[year]:06d}"


class CaseSynth:
    """One run of the generator. ``progress(total, description)`` returns a bar with ``update(n)`` and ``close()``."""

    def __init__(self, counts: SynthCounts, *, seed: int = 2026, progress: Callable[[int, str], Any] | None = None):
        self.counts = counts
        self.rng = random.Random(seed)  # noqa: S311 - reproducible synthetic data, not secrets
        self.fake = Faker("en_GB")
        self.fake.seed_instance(seed)
        self.progress = progress
        self.now = timezone.now()
        self.made: dict[str, int] = defaultdict(int)

    # --- Helpers ------------------------------------------------------------------------------------

    def _bar(self, total: int, description: str) -> Any:
        if self.progress is None:
            return None
        return self.progress(total, description)

    def _insert(self, model: type[models.Model], rows: Iterable[models.Model], total: int, label: str) -> None:
        bar = self._bar(total, label)
        for batch in _batches(rows):
            model._default_manager.bulk_create(batch, batch_size=BATCH)
            self.made[label] += len(batch)
            if bar is not None:
                bar.update(len(batch))
        if bar is not None:
            bar.close()

    def _moment_between(self, start: dt.datetime, end: dt.datetime) -> dt.datetime:
        span = max((end - start).total_seconds(), 1.0)
        return start + dt.timedelta(seconds=self.rng.random() * span)

    # --- Organisations, staff and people ------------------------------------------------------------

    def organisations(self, lpas: list[LPA]) -> tuple[Organisation, dict[int, list[Organisation]]]:
        from socex.accounts.services import organisation_create

        police = Organisation.objects.filter(org_type=OrganisationType.POLICE).order_by("name").first()
        if police is None:
            police = organisation_create(name=POLICE, org_type=OrganisationType.POLICE)
        partners: dict[int, list[Organisation]] = {}
        for lpa in lpas:
            partners[lpa.pk] = []
            for name, kind in (
                (f"{lpa.name} Council Early Help", OrganisationType.EARLY_HELP),
                (f"{lpa.name} Children's Services", OrganisationType.CHILDRENS_SERVICES),
            ):
                organisation = Organisation.objects.filter(name=name).first() or organisation_create(
                    name=name, org_type=kind, lpa=lpa
                )
                partners[lpa.pk].append(organisation)
        return police, partners

    def staff(self, police: Organisation, partners: dict[int, list[Organisation]]) -> dict[Any, list[User]]:
        wanted: list[tuple[str, Organisation, str]] = [
            (f"synth.officer{n:03d}@{SYNTH_DOMAIN}", police, "hub-officer") for n in range(self.counts.police_users)
        ]
        for organisations in partners.values():
            for organisation in organisations:
                for n in range(self.counts.partner_users_per_org):
                    slug = "".join(ch for ch in organisation.name.lower() if ch.isalnum())[:30]
                    wanted.append((f"synth.{slug}{n}@{SYNTH_DOMAIN}", organisation, "partner-practitioner"))
        existing = set(User.objects.filter(email__in=[email for email, _, _ in wanted]).values_list("email", flat=True))
        roles = {role.code: role for role in Role.objects.filter(code__in=["hub-officer", "partner-practitioner"])}
        new_users = []
        for email, organisation, _role in wanted:
            if email in existing:
                continue
            user = User(email=email, full_name=self.fake.name(), organisation=organisation, job_title="Synthetic")
            user.set_unusable_password()
            new_users.append(user)
        User.objects.bulk_create(new_users, batch_size=BATCH)
        by_email = {user.email: user for user in User.objects.filter(email__in=[email for email, _, _ in wanted])}
        through = User.roles.through
        links = [
            through(user_id=by_email[email].pk, role_id=roles[role].pk)
            for email, _organisation, role in wanted
            if email not in existing and role in roles
        ]
        through.objects.bulk_create(links, batch_size=BATCH)
        self.made["users"] += len(new_users)
        staff: dict[Any, list[User]] = defaultdict(list)
        for email, organisation, _role in wanted:
            staff[organisation.pk].append(by_email[email])
        return staff

    def people(self, count: int, police: Organisation, lpas: list[LPA]) -> list[tuple[int, int]]:
        """``count`` synthetic children and young adults: (person id, LPA id) pairs."""
        from socex.people.models import Person

        today = timezone.localdate()

        def rows() -> Iterator[Person]:
            for _ in range(count):
                lpa = self.rng.choice(lpas)
                age_days = self.rng.randint(10 * 365, 25 * 365)
                yield Person(
                    given_name=self.fake.first_name(),
                    family_name=self.fake.last_name(),
                    date_of_birth=today - dt.timedelta(days=age_days),
                    dob_precision="exact",
                    owner=police,
                    lpa=lpa,
                    notes="Synthetic person (synth_cases)",
                )

        made: list[tuple[int, int]] = []
        bar = self._bar(count, "people")
        for batch in _batches(rows()):
            created = Person.objects.bulk_create(batch, batch_size=BATCH)
            made.extend((person.pk, person.lpa_id) for person in created)  # type: ignore[misc]
            if bar is not None:
                bar.update(len(batch))
        if bar is not None:
            bar.close()
        self.made["people"] += len(made)
        return made

    # --- Cases --------------------------------------------------------------------------------------

    def cases(
        self,
        people: list[tuple[int, int]],
        police: Organisation,
        partners: dict[int, list[Organisation]],
        staff: dict[Any, list[User]],
    ) -> list[Case]:
        numbers = _Numbers(Case, "CASE")
        start = self.now - dt.timedelta(days=365 * YEARS_BACK)
        codes = list(ExploitationType.values)
        flags = ["missing", "looked_after", "cp_plan", "send", "not_in_education", "risk_to_staff"]

        def rows() -> Iterator[Case]:
            for n in range(self.counts.cases):
                _person, lpa_id = people[n]
                opened = self._moment_between(start, self.now - dt.timedelta(days=1))
                status = _weighted(self.rng, STATUS_WEIGHTS)
                lead = police if self.rng.random() < 0.9 else self.rng.choice(partners[lpa_id])
                closed = self._moment_between(opened, self.now) if status == CaseStatus.CLOSED else None
                risk = _weighted(self.rng, RISK_WEIGHTS)
                yield Case(
                    reference=numbers.next(timezone.localdate(opened).year),
                    lead_agency=lead,
                    keyworker=self.rng.choice(staff[lead.pk]) if staff.get(lead.pk) else None,
                    lpa_id=lpa_id,
                    status=status,
                    risk_level=risk,
                    exploitation_types=self.rng.sample(codes, self.rng.choice((1, 1, 2, 3))),
                    flags=self.rng.sample(flags, self.rng.choice((0, 0, 1, 2))),
                    summary=f"Synthetic case: {self.rng.choice(NOTES).lower()}.",
                    opened_at=opened,
                    closed_at=closed,
                    review_due=timezone.localdate(opened) + dt.timedelta(days=self.rng.randint(20, 200)),
                )

        created: list[Case] = []
        bar = self._bar(self.counts.cases, "cases")
        for batch in _batches(rows()):
            created.extend(Case.objects.bulk_create(batch, batch_size=BATCH))
            if bar is not None:
                bar.update(len(batch))
        if bar is not None:
            bar.close()
        self.made["cases"] += len(created)
        spare = people[self.counts.cases :]

        def subjects() -> Iterator[CaseSubject]:
            for n, case in enumerate(created):
                yield CaseSubject(case_id=case.pk, person_id=people[n][0], added_at=case.opened_at)
                if spare and self.rng.random() < 0.1:
                    yield CaseSubject(case_id=case.pk, person_id=spare[n % len(spare)][0], added_at=case.opened_at)

        self._insert(CaseSubject, subjects(), int(len(created) * 1.1), "case subjects")
        return created

    def risk_reviews(self, cases: list[Case], staff: dict[Any, list[User]]) -> None:
        def rows() -> Iterator[RiskReview]:
            for case in cases:
                reviewers = staff.get(case.lead_agency_id) or [u for users in staff.values() for u in users][:1]
                reviewed = timezone.localdate(self._moment_between(case.opened_at, case.closed_at or self.now))
                yield RiskReview(
                    case_id=case.pk,
                    level=case.risk_level,
                    previous_level=RiskLevel.AT_RISK,
                    reviewed_on=reviewed,
                    reason="Synthetic review: indicators checked with the partners.",
                    reviewer=self.rng.choice(reviewers),
                    reviewer_agency_id=case.lead_agency_id,
                    next_review_due=reviewed + dt.timedelta(days=84),
                )

        self._insert(RiskReview, rows(), len(cases), "risk reviews")

    def chronology(
        self, cases: list[Case], partners: dict[int, list[Organisation]], staff: dict[Any, list[User]]
    ) -> None:
        total = self.counts.chronology
        big = min(self.counts.big_chronology, total)
        notes = list(NoteCategory.values)

        def entry(case: Case) -> ChronologyEntry:
            agencies = [case.lead_agency_id, *(o.pk for o in partners.get(case.lpa_id, []))]
            agency_id = self.rng.choice(agencies)
            authors = staff.get(agency_id) or []
            when = self._moment_between(case.opened_at, case.closed_at or self.now)
            if self.rng.random() < 0.3:
                kind, category, summary = ChronologyKind.PRACTITIONER, self.rng.choice(notes), self.rng.choice(NOTES)
            else:
                category, summary = self.rng.choice(SYSTEM_EVENTS)
                kind = ChronologyKind.SYSTEM
            return ChronologyEntry(
                case_id=case.pk,
                occurred_at=when,
                recorded_at=when,
                kind=kind,
                category=category,
                agency_id=agency_id,
                author=self.rng.choice(authors) if authors else None,
                summary=summary,
                detail="Synthetic entry." if kind == ChronologyKind.PRACTITIONER else "",
            )

        def rows() -> Iterator[ChronologyEntry]:
            if not cases:
                return
            showcase = cases[0]
            for _ in range(big):
                yield entry(showcase)
            rest = total - big
            opened = min(rest, len(cases))
            for case in cases[:opened]:  # every case starts with its opening
                yield ChronologyEntry(
                    case_id=case.pk,
                    occurred_at=case.opened_at,
                    recorded_at=case.opened_at,
                    kind=ChronologyKind.SYSTEM,
                    category="case",
                    agency_id=case.lead_agency_id,
                    summary="Case opened (synthetic)",
                )
            for _ in range(rest - opened):
                yield entry(self.rng.choice(cases))

        self._insert(ChronologyEntry, rows(), total, "chronology entries")

    # --- Other apps' records: referrals, actions, shares -------------------------------------------

    def referrals(self, cases: list[Case], people: list[tuple[int, int]], staff: dict[Any, list[User]]) -> None:
        from socex.referrals.models import Referral, ReferralStatus, ReferralSubject, TriageOutcome

        numbers = _Numbers(Referral, "REF")
        partner_staff = [
            user for users in staff.values() for user in users if not user.email.startswith("synth.officer")
        ]
        police_staff = [user for users in staff.values() for user in users if user.email.startswith("synth.officer")]
        start = self.now - dt.timedelta(days=365 * YEARS_BACK)
        subjects: list[ReferralSubject] = []
        subject_of = {case.pk: people[n][0] for n, case in enumerate(cases)}

        def rows() -> Iterator[Referral]:
            for n in range(self.counts.referrals):
                referrer = self.rng.choice(partner_staff or police_staff)
                level = _weighted(self.rng, RISK_WEIGHTS)
                roll = self.rng.random()
                case = cases[n] if n < len(cases) else None
                if case is None and roll < 0.03:
                    status, outcome = ReferralStatus.SUBMITTED, ""
                elif case is None and roll < 0.04:
                    status, outcome = ReferralStatus.DRAFT, ""
                else:
                    status = ReferralStatus.TRIAGED
                    if case is not None:
                        outcome = TriageOutcome.NEW_CASE
                    else:
                        outcome = self.rng.choice(
                            (TriageOutcome.EXISTING_CASE, TriageOutcome.SIGNPOSTED, TriageOutcome.NO_FURTHER_ACTION)
                        )
                        if outcome == TriageOutcome.EXISTING_CASE:
                            case = self.rng.choice(cases)
                if status == ReferralStatus.SUBMITTED:
                    submitted: dt.datetime | None = self.now - dt.timedelta(hours=self.rng.uniform(0.5, 120))
                elif case is not None and outcome == TriageOutcome.NEW_CASE:
                    submitted = case.opened_at - dt.timedelta(hours=self.rng.uniform(1, 48))
                else:
                    submitted = self._moment_between(start, self.now - dt.timedelta(days=1))
                draft = status == ReferralStatus.DRAFT
                triaged_at = (
                    (
                        case.opened_at
                        if outcome == TriageOutcome.NEW_CASE and case
                        else submitted + dt.timedelta(hours=6)
                    )
                    if status == ReferralStatus.TRIAGED and submitted is not None
                    else None
                )
                person_id, lpa_id = (subject_of[case.pk], case.lpa_id) if case is not None else self.rng.choice(people)
                referral = Referral(
                    id=uuid.uuid4(),
                    reference=None if draft else numbers.next(timezone.localdate(submitted).year),  # type: ignore[arg-type]
                    status=status,
                    referrer=referrer,
                    referrer_agency_id=referrer.organisation_id,  # type: ignore[misc]  # synthetic staff all have one
                    lpa_id=lpa_id,
                    exploitation_types=[self.rng.choice(list(ExploitationType.values))],
                    concern_summary="Synthetic referral: " + self.rng.choice(NOTES).lower(),
                    tool_version="synth",
                    suggested_level=level,
                    confirmed_level="" if draft else level,
                    created_at=submitted or self.now,
                    updated_at=submitted or self.now,
                    submitted_at=None if draft else submitted,
                    triage_outcome=outcome,
                    triage_reason="Synthetic triage decision." if outcome else "",
                    signposted_to="Local Early Help" if outcome == TriageOutcome.SIGNPOSTED else "",
                    triaged_by=self.rng.choice(police_staff) if triaged_at and police_staff else None,
                    triaged_at=triaged_at,
                    case=case if outcome in (TriageOutcome.NEW_CASE, TriageOutcome.EXISTING_CASE) else None,
                )
                subjects.append(
                    ReferralSubject(referral_id=referral.id, person_id=person_id, added_at=referral.created_at)
                )
                yield referral

        self._insert(Referral, rows(), self.counts.referrals, "referrals")
        self._insert(ReferralSubject, iter(subjects), len(subjects), "referral subjects")

    def actions(self, cases: list[Case], partners: dict[int, list[Organisation]], staff: dict[Any, list[User]]) -> None:
        from socex.safeguarding.models import Action as PlanAction
        from socex.safeguarding.models import ActionStatus

        numbers = _Numbers(PlanAction, "ACT")
        working = [case for case in cases if case.status != CaseStatus.CLOSED] or cases
        today = timezone.localdate()
        statuses = (
            (ActionStatus.OPEN, 50),
            (ActionStatus.IN_PROGRESS, 10),
            (ActionStatus.DONE, 35),
            (ActionStatus.CANCELLED, 5),
        )

        def rows() -> Iterator[PlanAction]:
            for _ in range(self.counts.actions):
                case = self.rng.choice(working)
                agency_id = self.rng.choice([case.lead_agency_id, *(o.pk for o in partners.get(case.lpa_id, []))])
                people = staff.get(agency_id) or []
                owner = self.rng.choice(people) if people and self.rng.random() < 0.8 else None
                created = self._moment_between(case.opened_at, self.now)
                status = _weighted(self.rng, statuses)
                finished = status in (ActionStatus.DONE, ActionStatus.CANCELLED)
                yield PlanAction(
                    reference=numbers.next(timezone.localdate(created).year),
                    case_id=case.pk,
                    description="Synthetic action: " + self.rng.choice(NOTES).lower(),
                    owner_agency_id=agency_id,
                    owner=owner,
                    due_date=today + dt.timedelta(days=self.rng.randint(-60, 60)),
                    status=status,
                    completed_at=self._moment_between(created, self.now) if finished else None,
                    completed_by=owner if finished else None,
                    completion_note="Synthetic: done as agreed." if finished else "",
                    created_at=created,
                    updated_at=created,
                )

        self._insert(PlanAction, rows(), self.counts.actions, "actions")

    def shares(self, cases: list[Case], police: Organisation, partners: dict[int, list[Organisation]]) -> None:
        from socex.sharing.models import LegalBasis, Share

        basis = LegalBasis.objects.filter(is_active=True).order_by("code").first()
        sharer = User.objects.filter(organisation=police).order_by("email").first()
        if basis is None or sharer is None or not cases:
            return
        numbers = _Numbers(Share, "SHR")
        content_type = ContentType.objects.get_for_model(Case)
        police_led = [case for case in cases if case.lead_agency_id == police.pk and case.status != CaseStatus.CLOSED]
        chosen = self.rng.sample(police_led, min(self.counts.shares, len(police_led)))

        def rows() -> Iterator[Share]:
            for case in chosen:
                yield Share(
                    reference=numbers.next(timezone.localdate().year),
                    content_type=content_type,
                    object_id=str(case.pk),
                    object_repr=case.reference,
                    organisation=self.rng.choice(partners[case.lpa_id]),
                    legal_basis=basis,
                    scope="Synthetic share: case summary and chronology for the MACE meeting",
                    shared_by=sharer,
                    shared_by_organisation=police,
                    shared_at=self.now - dt.timedelta(days=self.rng.randint(0, 60)),
                    until=timezone.localdate() + dt.timedelta(days=self.rng.randint(10, 200)),
                )

        self._insert(Share, rows(), len(chosen), "shares")

    # --- The run ------------------------------------------------------------------------------------

    @transaction.atomic
    def run(self) -> dict[str, int]:
        lpas = check_can_synthesise()
        police, partners = self.organisations(lpas)
        staff = self.staff(police, partners)
        people = self.people(int(self.counts.cases * 1.2) or 1, police, lpas)
        cases = self.cases(people, police, partners, staff)
        self.risk_reviews(cases, staff)
        self.chronology(cases, partners, staff)
        self.referrals(cases, people, staff)
        self.actions(cases, partners, staff)
        self.shares(cases, police, partners)
        record(Action.IMPORT, object_type="cases.case", detail={"synth_cases": dict(self.made)})
        return dict(self.made)
