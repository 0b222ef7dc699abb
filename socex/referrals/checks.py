"""``manage.py check`` (and every server start) refuses an unusable screening definition, naming
the file and the problem, rather than failing on the first referral."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, register

from socex.referrals.screening import ScreeningDefinitionError, tool_for


@register()
def check_screening_definition(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    try:
        tool_for()
    except ScreeningDefinitionError as error:
        return [
            Error(
                f"The referral screening tool cannot be loaded: {error}",
                hint="Fix the file, or set SOCEX_SCREENING_TOOL_VERSION to a version whose file is valid.",
                id="referrals.E001",
            )
        ]
    return []
