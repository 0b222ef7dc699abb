"""Money typed by people: pounds and pence as ``Decimal``, never float, with a message that says what is wrong."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError

PENNY = Decimal("0.01")
LIMIT = Decimal("10000000000")


def money(value: Any, *, field: str, label: str, allow_zero: bool = False) -> Decimal:
    """``value`` as pounds and pence, or a ValidationError on ``field`` saying what is wrong."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).replace(",", "").replace("£", "").strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: f"{label} must be an amount in pounds and pence, like 7981.29."}) from None
    if not amount.is_finite():
        raise ValidationError({field: f"{label} must be an amount in pounds and pence, like 7981.29."})
    if amount < 0:
        raise ValidationError({field: f"{label} cannot be negative."})
    if amount == 0 and not allow_zero:
        raise ValidationError({field: f"{label} must be more than £0."})
    if amount != amount.quantize(PENNY):
        raise ValidationError({field: f"{label} cannot include fractions of a penny."})
    if amount >= LIMIT:
        raise ValidationError({field: f"{label} must be less than £10,000,000,000."})
    return amount.quantize(PENNY)
