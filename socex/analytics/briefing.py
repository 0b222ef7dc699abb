"""Area briefings: a one-click evidence pack for an LPA, as a page and as a PDF.

The pack is a list of sections. Each comes from a *builder* registered with
:func:`register_briefing_section` (``order``, ``builder``), so other apps can add theirs
(operations from investigations, VRP allocations from funding) without this module knowing
them: a builder takes a :class:`BriefingContext` and returns a :class:`BriefingSection`, or
``None`` when it has nothing to say about the area. Every figure names its sources by key;
the pack numbers them as footnotes in the order they are first used.

Everything in a briefing is an aggregate (counts, rates, scores); internal counts are
suppressed for viewers outside the police as on the internal figures page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from socex.analytics import internal, options
from socex.analytics.ranking import Ranking, ordinal, published_ranking

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from socex.accounts.models import User
    from socex.areas.models import LPA


@dataclass(frozen=True)
class Source:
    key: str
    text: str


@dataclass
class Paragraph:
    text: str
    sources: tuple[str, ...] = ()
    notes: list[int] = field(default_factory=list)


@dataclass
class Fact:
    label: str
    value: str
    sources: tuple[str, ...] = ()
    notes: list[int] = field(default_factory=list)


@dataclass
class Table:
    caption: str
    headers: list[str]
    rows: list[list[str]]
    numeric: tuple[int, ...] = ()
    sources: tuple[str, ...] = ()
    notes: list[int] = field(default_factory=list)


@dataclass
class Bars:
    caption: str
    bars: list[tuple[str, float]]
    sources: tuple[str, ...] = ()
    value_format: str = "{:,.0f}"
    notes: list[int] = field(default_factory=list)


@dataclass
class Line:
    caption: str
    labels: list[str]
    series: list[dict[str, Any]]
    sources: tuple[str, ...] = ()
    band: dict[str, Any] | None = None
    marks: list[int] = field(default_factory=list)
    mark_label: str = ""
    notes: list[int] = field(default_factory=list)


@dataclass
class BriefingSection:
    key: str
    title: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    bars: Bars | None = None
    line: Line | None = None
    sources: list[Source] = field(default_factory=list)


@dataclass
class BriefingContext:
    """What every builder may use: who asked, about which LPA, for which period, the ranking, and
    the period's crime and internal counts (each read once for the whole pack)."""

    user: User | AnonymousUser
    lpa: LPA
    period: internal.Period
    crimes: internal.CrimeCounts
    counts: internal.InternalCounts
    ranking: Ranking

    def shown(self, value: int) -> int | str:
        return internal.shown(value, self.user)


BriefingBuilder = Callable[[BriefingContext], "BriefingSection | None"]
_builders: list[tuple[int, str, BriefingBuilder]] = []
_covered: set[str] = set()

# Sections the pack is meant to have once their data exists. While no builder with this key is
# registered, the pack says plainly that it does not cover it.
PLANNED_SECTIONS = {
    "operations": "Operations in the area (force-wide operations such as Skyclash, Liberate and Guardian, and "
    "local disruptions), once the investigations records are in this service.",
    "vrp-allocations": "Violence Reduction Partnership allocations to the area, once funding data is in this service.",
}


def register_briefing_section(order: int, builder: BriefingBuilder, *, key: str = "") -> None:
    """Add a section builder (once, however often ``ready`` runs); lower ``order`` comes first.
    ``key`` (e.g. ``"operations"``) marks a planned section as covered."""
    name = f"{builder.__module__}.{builder.__qualname__}"
    if any(existing == name for _, existing, _ in _builders):
        return
    _builders.append((order, name, builder))
    _builders.sort(key=lambda item: (item[0], item[1]))
    if key:
        _covered.add(key)


@dataclass
class Briefing:
    lpa: LPA
    period: internal.Period
    ranking: Ranking
    sections: list[BriefingSection]
    footnotes: list[tuple[int, Source]]
    generated_at: dt.datetime
    exact: bool

    @property
    def title(self) -> str:
        return f"{self.lpa.name}: threat, risk and resources"

    def figure_count(self) -> int:
        return sum(
            len(s.facts) + sum(len(t.rows) for t in s.tables) + (len(s.bars.bars) if s.bars else 0)
            for s in self.sections
        )


def _number_sources(sections: Sequence[BriefingSection]) -> list[tuple[int, Source]]:
    known = {source.key: source for section in sections for source in section.sources}
    numbers: dict[str, int] = {}

    def refer(keys: Sequence[str]) -> list[int]:
        result = []
        for key in keys:
            if key not in known:
                raise ValueError(f"briefing section cites a source it does not define: {key}")
            numbers.setdefault(key, len(numbers) + 1)
            result.append(numbers[key])
        return result

    for section in sections:
        for item in [*section.paragraphs, *section.facts, *section.tables, section.bars, section.line]:
            if item is not None:
                item.notes = refer(item.sources)
    return [(number, known[key]) for key, number in sorted(numbers.items(), key=lambda kv: kv[1])]


def build_briefing(user: User | AnonymousUser, lpa: LPA, period: internal.Period | None = None) -> Briefing:
    """Every registered section for ``lpa``, with footnotes numbered across the pack."""
    period = period or internal.default_period()
    crimes, counts = internal.crime_counts(period), internal.internal_counts(period)
    context = BriefingContext(
        user=user,
        lpa=lpa,
        period=period,
        crimes=crimes,
        counts=counts,
        ranking=published_ranking(user, period, crimes=crimes, counts=counts),
    )
    sections = [section for _, _, builder in _builders if (section := builder(context)) is not None]
    missing = [text for key, text in PLANNED_SECTIONS.items() if key not in _covered]
    if missing:
        sections.append(
            BriefingSection(
                key="not-covered",
                title="What this pack does not cover yet",
                paragraphs=[Paragraph(text) for text in missing],
            )
        )
    return Briefing(
        lpa=lpa,
        period=period,
        ranking=context.ranking,
        sections=sections,
        footnotes=_number_sources(sections),
        generated_at=timezone.now(),
        exact=internal.sees_exact_counts(user),
    )


# --- sources every section may cite ------------------------------------------------------------


def _crime_source(context: BriefingContext, months: int) -> Source:
    return Source(
        "crime",
        f"data.police.uk street-level crime data for {context.lpa.force.name}, imported into SOCEX Hub "
        f"({months} month{'s' if months != 1 else ''} of data, {context.period.label}). Locations are "
        "approximate by design, so figures are given by area. Open Government Licence v3.0.",
    )


def _residents_source(lpa: LPA) -> Source:
    when = f", {lpa.population_date.day} {lpa.population_date:%B %Y}" if lpa.population_date else ""
    return Source("residents", f"Residents: {lpa.population_source}{when}. Open Government Licence v3.0.")


def _model_source(ranking: Ranking) -> Source:
    model = ranking.model
    published = f", published {model.published_on.day} {model.published_on:%B %Y}" if model.published_on else ""
    return Source(
        "model",
        f"{model.title} (weights version {model.version}{published}): harm x likelihood x "
        "capacity, each measure against the force-wide figure. The analytics threat-risk page shows the method.",
    )


DEPRIVATION_SOURCE = Source(
    "deprivation",
    "English Indices of Deprivation 2025 (MHCLG), neighbourhood (LSOA 2021) scores averaged by 2024 "
    "population, via Birmingham City Council Public Health (BCC-PHM/geoManipulatoR). Open Government Licence v3.0.",
)


def _internal_source(key: str) -> Source:
    source = internal.SOURCES_BY_KEY[key]
    return Source(f"internal-{key}", f"SOCEX Hub records: {source.description}")


# --- the built-in sections -----------------------------------------------------------------


def threat_risk_section(context: BriefingContext) -> BriefingSection:
    ranking = context.ranking
    area = ranking.area(context.lpa.code)
    stability = ranking.stability
    cited = ("model", "crime", "residents", "deprivation", *(f"internal-{s.key}" for s in internal.INTERNAL_SOURCES))
    facts = [
        Fact("Position", f"{ordinal(area.rank)} of {len(ranking.areas)} local policing areas", ("model",)),
        Fact("Threat-risk score", f"{area.score:.2f} (force average 1.00)", ("model",)),
        Fact("Confidence", area.confidence, ("model",)),
    ]
    paragraphs = [Paragraph(area.sentences[0], ("model",))]
    paragraphs += [Paragraph(sentence) for sentence in area.sentences[1:]]
    if stability is not None:
        low, high = stability.rank_ranges[area.name]
        place = ordinal(low) if low == high else f"{ordinal(low)} to {ordinal(high)}"
        facts.append(
            Fact(f"Position if weights move by up to {stability.spread:.0%}", place, ("model",)),
        )
        paragraphs.append(Paragraph(stability.sentence, ("model",)))
    table = Table(
        caption=f"What makes up {context.lpa.name}'s score",
        headers=["Measure", "Counts towards", f"{context.lpa.name}", "Force", "Times the force figure"],
        rows=[
            [
                part.component.label,
                part.component.dimension,
                _value(part.value, part.count, part.component.source, context),
                "" if part.force_value is None else f"{part.force_value:,.2f}",
                "No figures" if part.ratio is None else f"{part.ratio:.2f}",
            ]
            for part in area.components
        ],
        numeric=(2, 3, 4),
        sources=cited,
    )
    return BriefingSection(
        key="threat-risk",
        title="Threat and risk against the other areas",
        paragraphs=paragraphs,
        facts=facts,
        tables=[table],
        bars=Bars(
            "Threat-risk score by local policing area (1.00 = force average)",
            [(a.name, round(a.score, 2)) for a in ranking.areas],
            ("model",),
            "{:.2f}",
        ),
        sources=[
            _model_source(ranking),
            _crime_source(context, context.crimes.months_with_data),
            _residents_source(context.lpa),
            DEPRIVATION_SOURCE,
            *(_internal_source(s.key) for s in internal.INTERNAL_SOURCES),
        ],
    )


def _value(value: float | None, count: float | None, source: str, context: BriefingContext) -> str:
    if value is None:
        return "No figures"
    if source == "internal" and count is not None and internal.is_suppressed(int(count), context.user):
        return "Fewer than " + str(options.suppress_below())
    return f"{value:,.2f}"


def trends_section(context: BriefingContext) -> BriefingSection:
    from socex.analytics.conf import serious_violence_categories

    categories = serious_violence_categories()
    # Up to three years of history ending with the period's last month: two to compare, all to fit.
    history = internal.Period(start=internal.add_months(context.period.last_month, -35), months=36).month_list()
    values = internal.monthly_crime(context.lpa, history, categories)
    paragraphs = [_year_on_year(context, history[-24:], values[-24:])]
    known = [(month, value) for month, value in zip(history, values, strict=True) if value is not None]
    outlook = _seasonal_outlook(context, known)
    paragraphs += outlook.paragraphs
    return BriefingSection(
        key="trends",
        title="Trends and seasonal outlook",
        paragraphs=paragraphs,
        tables=outlook.tables,
        line=outlook.line
        or Line(
            caption=f"Serious violence and exploitation crimes a month, {context.lpa.name}",
            labels=[internal.short_month(month) for month in history[-24:]],
            series=[{"name": "Recorded", "values": values[-24:]}],
            sources=("crime",),
        ),
        sources=[
            _crime_source(context, context.crimes.months_with_data),
            Source(
                "seasonal",
                "SOCEX Hub seasonal model (the analytics seasonality page; ADR 0019): seasonal indices by calendar "
                "month, shrunk towards no season by their noise, with exponential smoothing of the adjusted series. "
                "School summer holidays from the analytics reference data.",
            ),
        ],
    )


def _year_on_year(context: BriefingContext, months: Sequence[dt.date], values: Sequence[int | None]) -> Paragraph:
    if not any(v is not None for v in values):
        return Paragraph("No crime data has been imported for these months.")
    if any(v is None for v in values):
        return Paragraph(
            "Crime data does not cover every month of the last two years, so no year-on-year change is given."
        )
    now, then = sum(v or 0 for v in values[12:]), sum(v or 0 for v in values[:12])
    change = (now - then) / then if then else 0.0
    trend = f"up {change:.0%}" if change > 0.005 else f"down {-change:.0%}" if change < -0.005 else "level"
    return Paragraph(
        f"{context.lpa.name} recorded {now:,} serious violence and exploitation crimes in "
        f"{internal.Period(start=months[12], months=12).label}: {trend} on the 12 months before ({then:,}).",
        ("crime",),
    )


@dataclass
class _Outlook:
    paragraphs: list[Paragraph] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    line: Line | None = None


def _fitted_outlook(known: Sequence[tuple[dt.date, int | None]]) -> dict[str, Any]:
    """Part A's seasonal model on this series: the fitted history and the forecast.

    Fitting takes a few hundred milliseconds, and the answer depends only on the series and the
    model's settings, so it is cached under exactly those: a new import changes the key."""
    from django.core.cache import cache

    from socex.analytics import conf, seasonal

    settings_key = (
        conf.forecast_months(),
        conf.interval(),
        conf.control_sigma(),
        seasonal.above_normal_threshold(),
        str(conf.school_holidays_file()),
    )
    key = "analytics-briefing-outlook:" + hashlib.sha256(repr((tuple(known), settings_key)).encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        months, values = [m for m, _ in known], [v for _, v in known]
        model = seasonal.fit(months, values)
        found = {
            "months": list(model.months),
            "values": [float(v) for v in model.values],
            "seasonal": model.seasonal,
            "ahead": seasonal.forecast(model),
        }
        cache.set(key, found, 24 * 60 * 60)
    return found


def _seasonal_outlook(context: BriefingContext, known: Sequence[tuple[dt.date, int | None]]) -> _Outlook:
    """The seasonal model's forecast and the months expected to run above normal."""
    from socex.analytics import conf, seasonal

    if len(known) < seasonal.MIN_MONTHS:
        needed = f"A seasonal outlook needs at least {seasonal.MIN_MONTHS} months of crime data"
        return _Outlook([Paragraph(f"{needed}; there are {len(known)}.")])
    fitted = _fitted_outlook(known)
    ahead = fitted["ahead"]
    interval = f"{conf.interval():.0%}"
    paragraphs = [
        Paragraph(
            f"Over the next {len(ahead)} months ({internal.month_label(ahead[0].month)} to "
            f"{internal.month_label(ahead[-1].month)}) about {sum(f.expected for f in ahead):,.0f} such crimes are "
            f"expected.",
            ("crime", "seasonal"),
        )
    ]
    above = [f for f in ahead if f.above_normal]
    if not fitted["seasonal"]:
        paragraphs.append(Paragraph("With fewer than 13 months of data no seasonal pattern can be estimated yet."))
    elif above:
        named = ", ".join(
            internal.month_label(f.month) + (" (school summer holidays)" if f.summer_holiday else "") for f in above
        )
        paragraphs.append(Paragraph(f"Months expected to run above normal: {named}.", ("seasonal",)))
    else:
        paragraphs.append(Paragraph("No month in the forecast is expected to run above normal.", ("seasonal",)))
    paragraphs.append(
        Paragraph(
            "The analytics seasonality page sets this month's figures against the expected, with control limits, "
            "to flag a spike as it happens."
        )
    )
    history = [round(float(v)) for v in fitted["values"]]
    gap: list[int | None] = [None] * len(history)
    all_months = fitted["months"] + [f.month for f in ahead]
    line = Line(
        caption=f"Serious violence and exploitation crimes a month, {context.lpa.name}, and the forecast",
        labels=[internal.short_month(m) for m in all_months],
        series=[
            {"name": "Recorded", "values": history + [None] * len(ahead)},
            {"name": "Forecast", "values": gap[:-1] + [history[-1]] + [round(f.expected) for f in ahead]},
        ],
        band={
            "name": f"{interval} interval",
            "lower": gap + [round(f.lower) for f in ahead],
            "upper": gap + [round(f.upper) for f in ahead],
        },
        marks=[i for i, m in enumerate(all_months) if seasonal.in_summer_holiday(m)],
        mark_label="School summer holidays",
        sources=("crime", "seasonal"),
    )
    table = Table(
        caption="Forecast by month",
        headers=["Month", "Expected", f"{interval} interval", "Above normal", "School summer holidays"],
        rows=[
            [
                internal.month_label(f.month),
                f"{f.expected:,.0f}",
                f"{f.lower:,.0f} to {f.upper:,.0f}",
                "Yes" if f.above_normal else "No",
                "Yes" if f.summer_holiday else "No",
            ]
            for f in ahead
        ],
        numeric=(1, 2),
        sources=("seasonal",),
    )
    return _Outlook(paragraphs, [table], line)


def figures_section(context: BriefingContext) -> BriefingSection:
    from socex.analytics.conf import serious_violence_categories

    lpa, period = context.lpa, context.period
    crimes, counts = context.crimes, context.counts
    categories = serious_violence_categories()
    facts = [
        Fact("Residents", f"{lpa.population:,}", ("residents",)),
        Fact(
            "Serious violence and exploitation crimes",
            f"{crimes.count(lpa.pk, categories):,}" if crimes.months_with_data else "No crime data for the period",
            ("crime",),
        ),
        Fact("All recorded crime and anti-social behaviour", f"{crimes.count(lpa.pk):,}", ("crime",)),
    ]
    for source in internal.INTERNAL_SOURCES:
        if source.key in counts.missing:
            facts.append(Fact(source.label, "Not recorded in this service yet"))
            continue
        shown = context.shown(counts.count(source.key, lpa.pk))
        facts.append(
            Fact(source.label, f"{shown:,}" if isinstance(shown, int) else f"Fewer than {options.suppress_below()}",
                 (f"internal-{source.key}",))
        )  # fmt: skip
    paragraphs = [Paragraph(f"Figures for {period.label}.")]
    if not internal.sees_exact_counts(context.user):
        paragraphs.append(
            Paragraph(
                f"Counts of internal records from 1 to {options.suppress_below() - 1} are not shown, "
                "so that no small group of people can be singled out."
            )
        )
    return BriefingSection(
        key="figures",
        title="Public crime figures and the hubs' own records",
        paragraphs=paragraphs,
        facts=facts,
        sources=[
            _residents_source(lpa),
            _crime_source(context, crimes.months_with_data),
            *(_internal_source(s.key) for s in internal.INTERNAL_SOURCES),
        ],
    )


def resources_section(context: BriefingContext) -> BriefingSection:
    from socex.areas.models import Hub

    lpa = context.lpa
    hubs = list(Hub.objects.filter(lpas_served=lpa).select_related("base_lpa").prefetch_related("lpas_served"))
    staff = internal.staff_by_hub()
    today = timezone.localdate()
    facts, paragraphs = [], []
    if not hubs:
        paragraphs.append(Paragraph(f"No SOCEX hub serves {lpa.name}.", ("hubs",)))
    for hub in hubs:
        served = ", ".join(sorted(other.name for other in hub.lpas_served.all()))
        count = staff.get(hub.pk, internal.Staff())
        place = "in the area" if hub.base_lpa_id == lpa.pk else f"in {hub.base_lpa.name}"
        paragraphs.append(Paragraph(f"{lpa.name} is served by the {hub.name}, based {place}.", ("hubs",)))
        facts += [
            Fact("Hub", hub.name, ("hubs",)),
            Fact("Areas the hub serves", served, ("hubs",)),
            Fact("Detective posts in the hub", f"{count.detective:,}", ("staff",)),
            Fact("Non-detective posts in the hub", f"{count.non_detective:,}", ("staff",)),
        ]
    area = context.ranking.area(lpa.code)
    if hubs and not area.posts:
        paragraphs.append(Paragraph(f"No hub staff are recorded for the hub serving {lpa.name}.", ("staff",)))
    elif area.posts:
        paragraphs.append(
            Paragraph(
                f"Shared among the areas each hub serves by residents, about {area.posts:.1f} hub posts serve "
                f"{lpa.name}: {area.posts / lpa.population * 100_000:.1f} per 100,000 residents.",
                ("staff", "residents"),
            )
        )
    return BriefingSection(
        key="resources",
        title="Resources in the area",
        paragraphs=paragraphs,
        facts=facts,
        sources=[
            Source("hubs", "SOCEX Hub reference data: the hubs and the local policing areas each serves."),
            Source(
                "staff",
                f"SOCEX Hub user accounts on {today.day} {today:%B %Y}: active members of each hub's teams. A member "
                "whose roles include investigation work counts as a detective post; everyone else as non-detective.",
            ),
            _residents_source(lpa),
        ],
    )


register_briefing_section(10, threat_risk_section)
register_briefing_section(20, trends_section)
register_briefing_section(30, figures_section)
register_briefing_section(40, resources_section)


# --- the PDF ------------------------------------------------------------------------------------


def _cite(notes: Sequence[int]) -> str:
    return "".join(f" [{n}]" for n in notes)


def briefing_pdf(briefing: Briefing) -> bytes:
    from socex.core.pdf import PdfReport

    generated = timezone.localtime(briefing.generated_at)
    report = PdfReport(
        briefing.title,
        subtitle=f"Area briefing for {briefing.period.label}. Prepared {generated.day} {generated:%B %Y at %H:%M}. "
        f"Threat-risk weights version {briefing.ranking.model.version}.",
        marking=options.briefing_marking(),
    )
    for section in briefing.sections:
        report.heading(section.title)
        for paragraph in section.paragraphs:
            report.paragraph(paragraph.text + _cite(paragraph.notes))
        if section.facts:
            report.key_values([(fact.label, fact.value + _cite(fact.notes)) for fact in section.facts])
        if section.bars:
            report.bar_chart(
                section.bars.bars,
                caption=section.bars.caption + _cite(section.bars.notes),
                value_format=section.bars.value_format,
            )
        if section.line:
            points = [(label, value) for label, value in zip(
                section.line.labels, section.line.series[0]["values"], strict=True) if value is not None]  # fmt: skip
            report.bar_chart(points, caption=section.line.caption + _cite(section.line.notes))
        for table in section.tables:
            report.paragraph(table.caption + _cite(table.notes), bold=True)
            report.table(table.headers, table.rows, align_right=table.numeric)
    report.heading("Sources")
    for number, source in briefing.footnotes:
        report.paragraph(f"[{number}] {source.text}", size=9)
    return report.output()
