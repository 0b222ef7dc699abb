from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "socex.referrals"
    label = "referrals"
    verbose_name = "Referrals"

    def ready(self) -> None:
        from django.urls import reverse

        from socex.core.dashboard import register_panel
        from socex.core.navigation import NavItem, register_nav_item
        from socex.people.links import register_link
        from socex.referrals import checks  # noqa: F401 (registers the screening definition check)
        from socex.referrals.access import CREATE, TRIAGE
        from socex.referrals.dashboard import referrals_panel
        from socex.referrals.models import Referral, ReferralSubject

        register_nav_item(28, NavItem("Referrals", "referrals:index", any_of=(CREATE, TRIAGE)))
        register_panel(27, referrals_panel)
        register_link(
            ReferralSubject,
            "person",
            label="Referrals",
            visible_to=lambda user: ReferralSubject.objects.filter(
                referral__in=Referral.objects.visible_to(user)
            ).select_related("referral", "person"),
            url=lambda subject: reverse("referrals:detail", args=[subject.referral_id]),  # type: ignore[attr-defined]
        )
