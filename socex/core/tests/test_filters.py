import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from socex.core.templatetags.socex import bar_rows, money, number, uk_date, uk_datetime


def test_uk_date_has_no_leading_zero_and_a_month_name():
    assert uk_date(dt.date(2024, 7, 3)) == "3 July 2024"


def test_uk_datetime_shows_london_time_across_the_clock_change():
    summer = dt.datetime(2024, 7, 3, 13, 5, tzinfo=dt.UTC)
    winter = dt.datetime(2024, 12, 3, 13, 5, tzinfo=dt.UTC)
    assert uk_datetime(summer) == "3 July 2024 at 14:05"
    assert uk_datetime(winter) == "3 December 2024 at 13:05"
    assert uk_date(dt.datetime(2024, 7, 3, 23, 30, tzinfo=dt.UTC)) == "4 July 2024"
    assert uk_date(dt.datetime(2024, 7, 4, 0, 30, tzinfo=ZoneInfo("Europe/London"))) == "4 July 2024"


def test_money_is_pounds_and_pence():
    assert money(Decimal("7981.29")) == "£7,981.29"
    assert money(Decimal("35000")) == "£35,000"
    assert money(Decimal("-12.5")) == "-£12.50"
    assert money(None) == ""


def test_numbers_have_thousands_separators():
    assert number(1144925) == "1,144,925"


def test_bar_rows_scale_to_the_largest():
    assert bar_rows([("A", 50), ("B", 100), ("C", 0)]) == [("A", 50, 50), ("B", 100, 100), ("C", 0, 0)]
    assert bar_rows([]) == []
