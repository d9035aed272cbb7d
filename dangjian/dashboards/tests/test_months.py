"""The month a dashboard is read for, at its boundaries, and the big screen's grid."""

import datetime

from dangjian.dashboards.selectors import month_from
from dangjian.dashboards.views import screen_grid

TODAY = datetime.date(2026, 12, 3)


def test_this_month_is_the_default_and_reads_as_of_today():
    m = month_from("", TODAY)
    assert (m.start, m.as_of, m.error) == (datetime.date(2026, 12, 1), TODAY, "")


def test_a_past_month_reads_as_of_its_last_day():
    assert month_from("2026-02", TODAY).as_of == datetime.date(2026, 2, 28)
    assert month_from("2024-2", TODAY).as_of == datetime.date(2024, 2, 29)


def test_bad_and_future_months_fall_back_with_a_message():
    for text in ("2026-13", "2026-00", "abc", "1999-05", "2026/11"):
        m = month_from(text, TODAY)
        assert m.start == datetime.date(2026, 12, 1) and "格式不正确" in m.error, text
    assert "尚未开始" in month_from("2027-01", TODAY).error


def test_the_big_screen_fits_every_card():
    assert screen_grid(6) == (3, 2)
    assert screen_grid(7) == (4, 2)
    assert screen_grid(11) == (4, 3)
    assert screen_grid(13) == (5, 3)
    assert screen_grid(0) == (3, 1)
